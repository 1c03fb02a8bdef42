// reporter.mjs - a node:test reporter that writes one line per test file,
// "PASS <file>" or "FAIL <file>", then "TESTS <passed> <failed> <skipped>
// <todo>" counting individual tests.  tests/run.sh reads it to count
// files; the human-readable output comes from the spec reporter running
// beside it.  It prints nothing else and never decides the exit code (node
// does).
import path from 'node:path';

export default async function* fileReporter(source) {
	const files = new Map();	// file -> true while nothing failed
	let pass = 0, fail = 0, skip = 0, todo = 0;

	for await (const ev of source) {
		if (ev.type !== 'test:pass' && ev.type !== 'test:fail')
			continue;
		const file = ev.data.file ? path.relative(process.cwd(), ev.data.file) : '(unknown file)';
		if (!files.has(file))
			files.set(file, true);
		// A todo test (a known, documented gap) fails without failing
		// the run, as node itself counts it.
		if (ev.data.todo !== undefined) {
			todo++;
		} else if (ev.type === 'test:fail') {
			files.set(file, false);
			fail++;
		} else if (ev.data.skip !== undefined) {
			skip++;
		} else {
			pass++;
		}
	}
	for (const [file, ok] of [...files].sort())
		yield `${ok ? 'PASS' : 'FAIL'} ${file}\n`;
	yield `TESTS ${pass} ${fail} ${skip} ${todo}\n`;
}
