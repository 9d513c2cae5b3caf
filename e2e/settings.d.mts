export declare const E2E_DATA_DIR: string;
export declare const E2E_AUTH_SECRET: string;
export declare const E2E_USERS: {
  role: "admin" | "editor" | "viewer";
  email: string;
  password: string;
  name: string;
}[];
