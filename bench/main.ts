// Runs a bench script's main: exit 0 when it ends, 1 with the error printed when it throws (open handles such as
// pools or servers a bench forgot must not keep the process alive).
export function runBench(main: () => Promise<void>): void {
  void main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
