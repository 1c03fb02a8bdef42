/* live.js - live updates for the live room's pages (participant room,
 * moderator page, presenter screen).  It opens the page's event stream
 * (data-live-stream) and, when an event arrives, fetches again the page
 * fragments that listen to it (data-live-on, data-live-src) and swaps them
 * in: the server renders every piece, so this file writes no markup of
 * its own.  On the presenter screen it adds the facilitator's keys: n next
 * poll, r reveal, c close, w wall (or back), f full screen.  Without it every page still
 * works: forms post and a reload shows the state. */
(function () {
	'use strict';

	var root = document.querySelector('[data-live-stream]');
	var source;
	var opened = false;

	if (!root || !window.EventSource || !window.fetch)
		return;

	/* Is the person typing in a form inside el? Then wait. */
	function busyTyping(el) {
		var a = document.activeElement;

		return a && el.contains(a) && /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName) &&
			a.type !== 'submit' && a.type !== 'hidden';
	}

	/* Fetch el's fragment again; one request in flight, one more queued. */
	function refresh(el) {
		if (el.liveBusy) {
			el.liveAgain = true;
			return;
		}
		if (busyTyping(el)) {
			setTimeout(function () { refresh(el); }, 1000);
			return;
		}
		el.liveBusy = true;
		/* HX-Request: a fragment, so the server leaves a pending flash
		 * message for the page it belongs to */
		fetch(el.getAttribute('data-live-src'), { credentials: 'same-origin', headers: { 'HX-Request': 'true' } })
			.then(function (r) { return r.ok ? r.text() : null; })
			.then(function (html) {
				if (html !== null)
					el.innerHTML = html;
			})
			.catch(function () {})
			.then(function () {
				el.liveBusy = false;
				if (el.liveAgain) {
					el.liveAgain = false;
					refresh(el);
				}
			});
	}

	/* Refresh every region listening to this kind of event. */
	function on(kind) {
		var els = document.querySelectorAll('[data-live-on~="' + kind + '"]');
		var i;

		for (i = 0; i < els.length; i++)
			refresh(els[i]);
	}

	function all() {
		var els = document.querySelectorAll('[data-live-src]');
		var i;

		for (i = 0; i < els.length; i++)
			refresh(els[i]);
	}

	source = new EventSource(root.getAttribute('data-live-stream') + '?since=' +
		encodeURIComponent(root.getAttribute('data-live-last') || '0'));
	/* A tally carries its count: show it at once, before the refetch. */
	function count(e) {
		var t, els, i;

		try {
			t = JSON.parse(e.data);
		} catch (err) {
			return;
		}
		els = document.querySelectorAll('[data-live-poll="' + t.poll + '"]');
		for (i = 0; i < els.length; i++)
			els[i].textContent = String(t.total);
	}

	['question', 'remove', 'poll', 'tally', 'wall', 'unwall', 'screen'].forEach(function (kind) {
		source.addEventListener(kind, function (e) {
			if (kind === 'tally')
				count(e);
			on(kind);
		});
	});
	source.addEventListener('reload', all);
	source.addEventListener('open', function () {
		if (opened)
			all();	/* back after a break: catch up on anything missed */
		opened = true;
	});

	if (!root.classList.contains('live-present'))
		return;

	/* The facilitator's keys press the screen's buttons, without leaving
	 * the page. */
	document.addEventListener('keydown', function (e) {
		var t = e.target;
		var form;

		if (e.ctrlKey || e.metaKey || e.altKey ||
		    (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))
			return;
		if (e.key === 'f') {
			if (document.fullscreenElement)
				document.exitFullscreen();
			else if (root.requestFullscreen)
				root.requestFullscreen();
			return;
		}
		form = document.querySelector('form[data-live-key="' + e.key + '"]');
		if (!form)
			return;
		e.preventDefault();
		/* getAttribute: the form has a field named "action" */
		fetch(form.getAttribute('action'), { method: 'POST', body: new FormData(form), credentials: 'same-origin',
			headers: { 'HX-Request': 'true' } })
			.then(all, all);
	});
})();
