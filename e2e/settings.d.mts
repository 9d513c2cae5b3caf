export declare const E2E_DATA_DIR: string;
export declare const E2E_AUTH_SECRET: string;
export declare const E2E_USERS: {
  role: "admin" | "editor" | "viewer";
  email: string;
  password: string;
  name: string;
}[];
export declare const E2E_OIDC_PORT: number;
export declare const E2E_OIDC_CLIENT_ID: string;
export declare const E2E_OIDC_CLIENT_SECRET: string;
export declare const E2E_OIDC_NAME: string;
export declare const E2E_OIDC_ACCOUNTS: Record<
  string,
  { name: string; groups: string[]; email?: string; email_verified?: boolean }
>;
export declare const E2E_OIDC_CLAIMS_FILE: string;
