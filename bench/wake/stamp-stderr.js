// Preloaded into the host by `bench wake` (node --import) for the latency runs only: every
// write to stderr (one log line per write) is prefixed with process.hrtime.bigint(), the
// system-wide monotonic clock the bench reads too, so "when the host wrote this line" is
// comparable with "when the bench got the write's response". Plain JavaScript: a TypeScript
// preload would load Node's type stripper into the host.
const write = process.stderr.write.bind(process.stderr);
process.stderr.write = (chunk, ...rest) => write(`${process.hrtime.bigint()} ${chunk}`, ...rest);
