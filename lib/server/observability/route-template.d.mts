export declare function createRouteMatcher(templates: string[]): (pathname: string) => string;
export declare function loadBuildTemplates(distDir: string): Promise<string[]>;
