// ESLint: typescript-eslint's recommended rules, plus the type-checked rules that catch real
// bugs in this code base (promises, exhaustive switches, needless assertions). Formatting is
// Prettier's (.prettierrc.json); the line length is 120.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "dist-check/",
      "node_modules/",
      ".cache/",
      "coverage/",
      "docs/grammar/",
      "test/conformance/.cache/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-unnecessary-type-assertion": "error",
      // A switch with a default handles the rest on purpose; one without must name every case.
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      // Control bytes are this project's subject: patterns that find them are meant.
      "no-control-regex": "off",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      // A message stays on one line, so that it can be found with grep; code and comments wrap.
      "max-len": [
        "error",
        { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true, ignoreStrings: true, ignoreTemplateLiterals: true },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        performance: "readonly",
      },
    },
    rules: {
      // A message stays on one line, so that it can be found with grep; code and comments wrap.
      "max-len": [
        "error",
        { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true, ignoreStrings: true, ignoreTemplateLiterals: true },
      ],
    },
  },
  {
    // The command's entry point is CommonJS (bin/package.json): Node starts it sooner.
    files: ["bin/**/*.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
