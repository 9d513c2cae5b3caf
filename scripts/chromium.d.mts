export declare const INSTALL_COMMAND: string;
type ChromiumChoice =
  | { kind: "system"; executablePath: string }
  | { kind: "playwright"; executablePath: string }
  | { kind: "missing" };
export declare function findChromium(options?: {
  candidates?: string[];
  playwrightPath?: string | null;
  exists?: (path: string) => boolean;
}): ChromiumChoice;
export declare function ensureChromium(options?: {
  candidates?: string[];
  playwrightPath?: string | null;
  exists?: (path: string) => boolean;
  install?: () => boolean;
  log?: (line: string) => void;
}): Promise<boolean>;
