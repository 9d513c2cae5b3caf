// Reads a CSV file in chunks with papaparse's streaming parser, so a file of 10,000 rows is parsed a piece at a
// time between paints instead of freezing the page; the rows are then checked by lib/features/blockers-csv.
import Papa from "papaparse";
import { lineNumbers, tableOf, type CsvTable } from "@/lib/features/blockers-csv";

export function readCsvFile(file: File): Promise<CsvTable> {
  return new Promise((resolve, reject) => {
    const data: string[][] = [];
    Papa.parse<string[]>(file, {
      chunkSize: 256 * 1024,
      chunk: (results) => {
        data.push(...results.data);
      },
      complete: () => resolve(tableOf(data, lineNumbers(data))),
      error: (error) => reject(new Error(`Could not read ${file.name}: ${error.message}`)),
    });
  });
}
