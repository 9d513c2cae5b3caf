import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      ".data/**",
      "db/migrations/**",
      "next-env.d.ts",
      "playwright-report/**",
      "test-results/**",
    ],
  },
  {
    // The layout (docs/decisions/021): browser code and code shared with the browser never import server modules
    // or the database. Next.js also refuses to bundle a module marked `import "server-only"` for the browser.
    files: [
      "components/**",
      "lib/browser/**",
      "lib/shared/**",
      "lib/schemas/**",
      "lib/features/**",
      "lib/client/**",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/server/**", "@/db/**", "**/lib/server/**", "**/db/**", "server-only"],
              allowTypeImports: true,
              message:
                "Browser and shared code must not import server modules or the database (docs/decisions/021-server-and-browser-apart.md).",
            },
          ],
        },
      ],
    },
  },
  {
    // db/ is the schema, migrations and the connection: it imports nothing from lib/.
    files: ["db/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/lib/**", "**/lib/**"], message: "db/ imports nothing from lib/." },
          ],
        },
      ],
    },
  },
  {
    // Playwright fixtures take a `use` callback that is not React's `use`.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "warn",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
];

export default config;
