// CSV in and out for blocking services: the export a person fills in elsewhere (a spreadsheet, a routing system),
// and the import that turns it into service_updates. Every row is checked against the target version's contract
// and the domain's services before anything is sent, and each bad row is named (line, service, feature, why).
// Parsing is papaparse's (quoted fields, embedded commas and newlines, CRLF); this module only reads its rows.
import Papa from "papaparse";
import { parseFeatureInput } from "./contract-form";
import { expectedTypeLabel } from "./match-feature-type";
import { describeValue } from "./describe-value";
import type { FeatureDefinition, FeatureValue } from "./types";

/** A parsed CSV: its header and its records (each a list of cells), with each record's line number. */
export type CsvTable = { header: string[]; records: { line: number; cells: string[] }[] };

const BOM = "\ufeff";

/**
 * The records of papaparse's arrays, numbered by the line each starts on (the header is line 1; a quoted field
 * spanning lines counts them). Blank lines are skipped.
 */
export function tableOf(data: string[][], lineOf: (index: number) => number): CsvTable {
  const [header = [], ...rest] = data;
  const records: CsvTable["records"] = [];
  rest.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === "")) return;
    records.push({ line: lineOf(i + 1), cells });
  });
  return { header: header.map((h, i) => (i === 0 ? h.replace(BOM, "") : h).trim()), records };
}

/** Line numbers of a text's records, from the records themselves (newlines inside quoted fields included). */
export function lineNumbers(data: string[][]): (index: number) => number {
  const starts: number[] = [];
  let line = 1;
  for (const cells of data) {
    starts.push(line);
    line += 1 + cells.reduce((n, c) => n + (c.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
  }
  return (index) => starts[index] ?? index + 1;
}

/** Parses CSV text at once (tests, small files); the console reads files in chunks (readCsvFile). */
export function parseCsvText(text: string): CsvTable {
  // Blank lines are kept by the parser (so line numbers stay true) and skipped by tableOf.
  const result = Papa.parse<string[]>(text.startsWith(BOM) ? text.slice(1) : text);
  return tableOf(result.data, lineNumbers(result.data));
}

export type ImportProblem = {
  line: number;
  service_id: string | null;
  feature: string | null;
  message: string;
};

export type ServiceUpdate = { service_id: string; static_features: Record<string, FeatureValue> };

export type ImportResult = {
  /** What to send: one entry per service, its features merged; empty when any row is bad. */
  updates: ServiceUpdate[];
  problems: ImportProblem[];
  /** Records read (rows with a value). */
  rows: number;
};

/**
 * The contracts each service's values must fit, when they differ per service (the services page: the versions a
 * service runs now, one per assignment key). A feature may be defined by several of a service's versions; a value
 * must fit every one of them.
 */
export type ServiceContracts = {
  /** Every feature some contract defines: the wide layout's columns must be among them. */
  known: ReadonlySet<string>;
  /** What `known` is, in a message, e.g. "the versions assigned in this domain". */
  knownLabel: string;
  /** The service's contracts: a label for messages ("example-model@1.0.0") and each feature's definitions. */
  of: (serviceId: string) => {
    label: string;
    definitions: ReadonlyMap<string, readonly FeatureDefinition[]>;
  };
};

export type ImportContext = {
  /** The domain's services and their status. */
  services: ReadonlyMap<string, "active" | "departed">;
} & (
  | {
      /** The version every value must fit, e.g. "example-model@2.0.0" (named in messages). */
      target: string;
      contract: readonly FeatureDefinition[];
    }
  | { contracts: ServiceContracts }
);

/** One contract for every service (the editor's target version), as per-service contracts. */
function oneContract(target: string, contract: readonly FeatureDefinition[]): ServiceContracts {
  const definitions = new Map(contract.map((d) => [d.key, [d] as const]));
  return {
    known: new Set(definitions.keys()),
    knownLabel: target,
    of: () => ({ label: target, definitions }),
  };
}

const LONG_COLUMNS = ["service_id", "feature", "value"];

/**
 * Checks every record and turns the good ones into service_updates. Two layouts: `service_id,feature,value`
 * (other columns, such as the export's, are ignored; an empty value is a bad row), or `service_id` and one column
 * per feature (an empty cell leaves that feature as it is; a column the contract doesn't have is refused).
 */
export function validateImport(table: CsvTable, context: ImportContext): ImportResult {
  const problems: ImportProblem[] = [];
  const columns = table.header.map((h) => h.toLowerCase());
  const idColumn = columns.indexOf("service_id");
  if (idColumn < 0)
    return {
      updates: [],
      rows: 0,
      problems: [
        {
          line: 1,
          service_id: null,
          feature: null,
          message: `the header has no service_id column: use service_id,feature,value or service_id and one column per feature`,
        },
      ],
    };
  const contracts =
    "contracts" in context ? context.contracts : oneContract(context.target, context.contract);
  const long = LONG_COLUMNS.every((c) => columns.includes(c));
  const featureColumns = long
    ? []
    : table.header
        .map((name, index) => ({ name, index }))
        .filter(({ index }) => index !== idColumn && columns[index] !== "name");
  if (!long) {
    for (const { name } of featureColumns)
      if (!contracts.known.has(name))
        problems.push({
          line: 1,
          service_id: null,
          feature: name,
          message: `column "${name}" is not a feature of ${contracts.knownLabel}; remove it or rename it`,
        });
    if (problems.length > 0) return { updates: [], problems, rows: 0 };
  }

  const values = new Map<string, Map<string, { value: FeatureValue; line: number; raw: string }>>();
  let rows = 0;
  const check = (
    line: number,
    serviceId: string,
    feature: string,
    raw: string,
    empty: "bad" | "skip",
  ) => {
    const at = { line, service_id: serviceId || null, feature: feature || null };
    if (!serviceId) return problems.push({ ...at, message: "no service_id" });
    const status = context.services.get(serviceId);
    if (!status)
      return problems.push({ ...at, message: `service "${serviceId}" is not in this domain` });
    if (status === "departed")
      return problems.push({
        ...at,
        message: `service "${serviceId}" has departed and can't be changed`,
      });
    if (!feature) return problems.push({ ...at, message: "no feature" });
    if (raw.trim() === "" && empty === "skip") return;
    const contract = contracts.of(serviceId);
    const definitions = contract.definitions.get(feature);
    if (!definitions || definitions.length === 0)
      return problems.push({
        ...at,
        message: `"${feature}" is not a feature of ${contract.label}`,
      });
    const definition = definitions[0]!;
    if (raw.trim() === "")
      return problems.push({
        ...at,
        message: `empty value: fill in ${feature} (${expectedTypeLabel(definition.type, definition.allowed_values)}) or remove the row`,
      });
    // The value must fit every definition of the feature the service's versions have; the first one's is kept.
    let parsed = parseFeatureInput(definition, raw);
    for (const other of definitions.slice(1)) {
      if (parsed.kind !== "value") break;
      const again = parseFeatureInput(other, raw);
      if (again.kind !== "value") parsed = again;
    }
    if (parsed.kind !== "value")
      return problems.push({
        ...at,
        message:
          parsed.kind === "invalid"
            ? `${describeValue(raw)}: ${parsed.message}`
            : `empty value: fill in ${feature} or remove the row`,
      });
    rows += 1;
    const forService = values.get(serviceId) ?? new Map();
    values.set(serviceId, forService);
    const earlier = forService.get(feature);
    if (earlier) {
      if (earlier.raw.trim() !== raw.trim())
        problems.push({
          ...at,
          message: `line ${earlier.line} already sets ${feature} of "${serviceId}" to ${describeValue(earlier.raw.trim())}; keep one of the two rows`,
        });
      return;
    }
    forService.set(feature, { value: parsed.value, line, raw });
  };

  const cell = (cells: string[], index: number) => (index < 0 ? "" : (cells[index] ?? ""));
  for (const { line, cells } of table.records) {
    const serviceId = cell(cells, idColumn).trim();
    if (long) {
      check(
        line,
        serviceId,
        cell(cells, columns.indexOf("feature")).trim(),
        cell(cells, columns.indexOf("value")),
        "bad",
      );
    } else {
      for (const { name, index } of featureColumns)
        check(line, serviceId, name, cell(cells, index), "skip");
    }
  }
  if (problems.length > 0) return { updates: [], problems, rows };
  const updates = [...values].map(([service_id, features]) => ({
    service_id,
    static_features: Object.fromEntries([...features].map(([k, v]) => [k, v.value])),
  }));
  return { updates, problems, rows };
}

/** One row of the blockers export: a feature one blocking service lacks or has wrong. */
export type BlockerRow = {
  service_id: string;
  name: string | null;
  feature: string;
  problem: "missing" | "invalid";
  /** The service's current value (as JSON), empty when missing. */
  current_value: string;
};

/**
 * The blocking services as CSV: `service_id,name,feature,expected,problem,current_value,value`, one row per
 * feature to fix, `value` left empty for the person to fill in; the file imports back as it is once filled.
 */
export function blockersCsv(
  rows: readonly BlockerRow[],
  contract: readonly FeatureDefinition[],
): string {
  const definitions = new Map(contract.map((d) => [d.key, d]));
  return Papa.unparse(
    {
      fields: ["service_id", "name", "feature", "expected", "problem", "current_value", "value"],
      data: rows.map((r) => {
        const d = definitions.get(r.feature);
        return [
          r.service_id,
          r.name ?? "",
          r.feature,
          d ? expectedTypeLabel(d.type, d.allowed_values) : "",
          r.problem,
          r.current_value,
          "",
        ];
      }),
    },
    { newline: "\r\n" },
  );
}
