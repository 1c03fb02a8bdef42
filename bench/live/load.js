// load.js - the live room's load generator (bench/live/run.sh drives it).
// Loopback only, bounded in count and time.  The parent process fetches a
// CSRF token per voter, forks workers that hold the Server-Sent-Event
// streams, sends the votes spread evenly over the given seconds (each
// voter once), and measures: vote latency (send to 2xx), and for every
// stream the time from the last vote to the first tally event that counts
// every vote.  It also samples the server's resident memory before and
// after the streams open.  Prints one JSON object.
//
//   node load.js --base http://127.0.0.1:PORT --room R --poll P
//       --sessions FILE --streams N --votes V --seconds T
//       [--workers W] [--sockets S] [--server-pid PID]
'use strict';

const http = require('node:http');
const net = require('node:net');
const fs = require('node:fs');
const { fork } = require('node:child_process');

function args() {
	const a = {};
	for (let i = 2; i < process.argv.length; i += 2)
		a[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
	return a;
}

const A = args();
const BASE = new URL(A.base || 'http://127.0.0.1:8080');
if (!/^(127\.0\.0\.1|localhost|\[::1\])$/.test(BASE.hostname))
	throw new Error('load.js talks to loopback only');
const ROOM = Number(A.room), POLL = Number(A.poll);
const DEADLINE_MS = 120000;	// nothing runs longer than this

function rss(pid) {
	const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) : 0;
}

function pct(sorted, p) {
	if (!sorted.length)
		return null;
	return sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
}

// ------------------------------------------------------------ stream worker

function streamWorker() {
	const streams = [];
	let opened = 0, failed = 0;

	// Each stream is a plain socket with a hand-written request, and what
	// it reads costs the client one byte search per read, nothing more:
	// the workers share two cores with the server, and an HTTP parser and
	// a string per read for 10,000 streams would measure the client.  The
	// final tally starts {"poll":P,"total":T; a read may cut it, so the
	// tail of the previous one is kept.
	let needle = null;
	function open(cookie) {
		const s = { seen: null, tail: null, head: true };
		streams.push(s);
		const sock = net.connect({ host: BASE.hostname, port: Number(BASE.port) });
		sock.setNoDelay(true);
		sock.on('connect', () => sock.write(`GET /live/${ROOM}/events HTTP/1.1\r\nHost: ${BASE.host}\r\n`
			+ `Cookie: ${cookie}\r\nAccept: text/event-stream\r\n\r\n`));
		sock.on('data', (d) => {
			if (s.head) {
				s.head = false;
				if (d.toString('latin1', 0, 12) !== 'HTTP/1.1 200') {
					failed++;
					sock.destroy();
					return;
				}
				opened++;
			}
			if (s.seen !== null || needle === null)
				return;
			const b = s.tail ? Buffer.concat([s.tail, d]) : d;
			if (b.indexOf(needle) >= 0)
				s.seen = Date.now();
			else
				s.tail = b.subarray(Math.max(0, b.length - needle.length));
		});
		sock.on('error', () => {
			if (s.head) {
				s.head = false;
				failed++;
			}
		});
		s.sock = sock;
	}

	process.on('message', (msg) => {
		if (msg.cmd === 'open') {
			msg.cookies.forEach((c) => open(c));
			const t0 = Date.now();
			const check = setInterval(() => {
				if (opened + failed >= msg.cookies.length || Date.now() - t0 > 60000) {
					clearInterval(check);
					process.send({ cmd: 'opened', opened, failed });
				}
			}, 50);
		} else if (msg.cmd === 'target') {
			needle = Buffer.from(`"poll":${POLL},"total":${msg.total}`, 'latin1');
		} else if (msg.cmd === 'collect') {
			const t0 = Date.now();
			const check = setInterval(() => {
				const done = streams.every((s) => s.seen !== null);
				if (done || Date.now() - t0 > msg.waitMs) {
					clearInterval(check);
					process.send({ cmd: 'seen', seen: streams.map((s) => s.seen) });
					for (const s of streams)
						s.sock.destroy();
					setTimeout(() => process.exit(0), 200);
				}
			}, 20);
		}
	});
	setTimeout(() => process.exit(2), DEADLINE_MS).unref();
}

// ------------------------------------------------------------------ parent

function request(agent, method, path, cookie, body) {
	return new Promise((resolve) => {
		const headers = { cookie, origin: BASE.origin };
		if (body !== undefined) {
			headers['content-type'] = 'application/x-www-form-urlencoded';
			headers['content-length'] = Buffer.byteLength(body);
			headers.accept = 'application/json';
		}
		const req = http.request({ host: BASE.hostname, port: BASE.port, method, path, agent, headers }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (d) => { text += d; });
			res.on('end', () => resolve({ status: res.statusCode, text }));
		});
		req.on('error', (e) => resolve({ status: 0, text: String(e) }));
		if (body !== undefined)
			req.write(body);
		req.end();
	});
}

async function pool(items, n, fn) {
	let next = 0;
	await Promise.all(Array.from({ length: n }, async () => {
		while (next < items.length) {
			const i = next++;
			await fn(items[i], i);
		}
	}));
}

async function main() {
	setTimeout(() => { console.error('load.js: deadline passed'); process.exit(3); }, DEADLINE_MS).unref();
	const cookies = fs.readFileSync(A.sessions, 'utf8').split('\n').filter(Boolean);
	const nstreams = Number(A.streams || 0), nvotes = Number(A.votes), seconds = Number(A.seconds);
	const nworkers = Number(A.workers || 1);
	const agent = new http.Agent({ keepAlive: true, maxSockets: Number(A.sockets || 64) });
	if (cookies.length < nvotes)
		throw new Error(`need ${nvotes} sessions, have ${cookies.length}`);

	// a CSRF token per voter
	const voters = cookies.slice(0, nvotes).map((c) => ({ cookie: c, csrf: null }));
	await pool(voters, 32, async (v) => {
		const r = await request(agent, 'GET', `/live/${ROOM}`, v.cookie);
		const m = /name="_csrf" value="([^"]+)"/.exec(r.text);
		if (r.status !== 200 || !m)
			throw new Error(`GET /live/${ROOM} answered ${r.status}`);
		v.csrf = m[1];
	});

	// the streams, in workers
	const pid = Number(A['server-pid'] || 0);
	const rssBefore = pid ? rss(pid) : 0;
	const workers = [];
	let opened = 0, failed = 0;
	for (let w = 0; w < nworkers && nstreams > 0; w++) {
		const child = fork(__filename, [...process.argv.slice(2), '--role', 'stream']);
		const mine = [];
		for (let i = w; i < nstreams; i += nworkers)
			mine.push(cookies[i % cookies.length]);
		workers.push(child);
		await new Promise((resolve) => {
			child.once('message', (m) => { opened += m.opened; failed += m.failed; resolve(); });
			child.send({ cmd: 'open', cookies: mine });
		});
	}
	await new Promise((r) => setTimeout(r, 500));
	const rssStreams = pid ? rss(pid) : 0;
	for (const c of workers)
		c.send({ cmd: 'target', total: nvotes });

	// the votes, spread evenly
	const lat = [];
	let bad = 0, lastSent = 0, lastAck = 0;
	const start = Date.now();
	await Promise.all(voters.map((v, i) => new Promise((resolve) => {
		const at = start + Math.floor(i * seconds * 1000 / nvotes);
		setTimeout(async () => {
			const t0 = Date.now();
			lastSent = Math.max(lastSent, t0);
			const r = await request(agent, 'POST', `/live/${ROOM}/polls/${POLL}/vote`, v.cookie,
				`_csrf=${encodeURIComponent(v.csrf)}&choice=${i % 4}`);
			const t1 = Date.now();
			if (r.status !== 200)
				bad++;
			lat.push(t1 - t0);
			lastAck = Math.max(lastAck, t1);
			resolve();
		}, Math.max(0, at - Date.now()));
	})));
	const voteSeconds = (lastAck - start) / 1000;

	// when each stream saw the final tally
	const seen = [];
	await Promise.all(workers.map((c) => new Promise((resolve) => {
		c.once('message', (m) => { seen.push(...m.seen); resolve(); });
		c.send({ cmd: 'collect', waitMs: 10000 });
	})));
	lat.sort((a, b) => a - b);
	const missing = seen.filter((s) => s === null).length;
	const fromAck = seen.filter((s) => s !== null).map((s) => s - lastAck).sort((a, b) => a - b);
	const fromSent = seen.filter((s) => s !== null).map((s) => s - lastSent).sort((a, b) => a - b);
	console.log(JSON.stringify({
		streams: { asked: nstreams, opened, failed, missed_final_tally: missing },
		votes: { sent: nvotes, failed: bad, seconds: voteSeconds, per_second: nvotes / voteSeconds,
			latency_ms: { p50: pct(lat, 50), p90: pct(lat, 90), p99: pct(lat, 99), max: lat[lat.length - 1] } },
		final_tally_after_last_ack_ms: { p50: pct(fromAck, 50), p99: pct(fromAck, 99), max: fromAck[fromAck.length - 1] },
		final_tally_after_last_send_ms: { p50: pct(fromSent, 50), p99: pct(fromSent, 99), max: fromSent[fromSent.length - 1] },
		server_rss_kb: { before_streams: rssBefore, with_streams: rssStreams,
			per_stream_kb: nstreams ? (rssStreams - rssBefore) / nstreams : null },
	}));
	process.exit(0);
}

if (A.role === 'stream')
	streamWorker();
else
	main().catch((e) => { console.error(e); process.exit(1); });
