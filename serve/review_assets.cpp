#include "serve/review_assets.h"

namespace tusk::serve {

const std::string_view kConsoleCss = R"css(
:root { --ink: #1d2321; --muted: #5b6662; --line: #d5dbd8; --accent: #2f5d50; --mark: #ffe27a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--ink); background: #f6f7f6; }
header { display: flex; align-items: center; gap: 2rem; padding: .5rem 1.5rem; background: var(--accent); color: #fff; }
header h1 { font-size: 1.1rem; margin: 0; }
header a { color: #fff; margin-right: 1rem; }
header nav { display: flex; align-items: center; gap: .5rem; flex: 1; }
header .who { margin-left: auto; margin-right: .5rem; }
main { padding: 1rem 1.5rem 3rem; max-width: 80rem; }
h2 { margin-top: 0; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); }
tr.selected td { background: #e3efe9; }
tr.zero td { color: var(--muted); }
tr.this td { font-weight: 600; }
form.inline { display: inline; }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin-bottom: 1rem; }
form.filters input { width: 9rem; }
form.signin { display: grid; gap: .75rem; max-width: 20rem; }
label { display: flex; flex-direction: column; gap: .2rem; color: var(--muted); }
input, textarea, select, button { font: inherit; padding: .3rem .5rem; }
#decide-form { display: grid; gap: .6rem; max-width: 40rem; }
.buttons { display: flex; gap: .6rem; }
button { cursor: pointer; border: 1px solid var(--line); background: #fff; border-radius: 4px; }
button.confirm { background: #8e2b20; color: #fff; }
button.dismiss { background: #2f5d50; color: #fff; }
button.escalate { background: #7a5a10; color: #fff; }
kbd { font-size: .8em; border: 1px solid var(--line); border-radius: 3px; padding: 0 .25rem; background: #fff; color: var(--ink); }
mark { background: var(--mark); padding: 0 1px; border-radius: 2px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.record { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; background: #fff; padding: .75rem; border: 1px solid var(--line); }
dl.record dd { margin: 0; white-space: pre-wrap; }
dt { color: var(--muted); }
dd { margin: 0; }
pre { white-space: pre-wrap; word-break: break-all; background: #fff; padding: .5rem; border: 1px solid var(--line); }
.message { padding: .5rem .75rem; background: #fff4d6; border: 1px solid #e7cf85; }
.action-block { color: #8e2b20; font-weight: 600; }
section { margin: 1.5rem 0; }
h4 { margin: 1rem 0 .4rem; }
.none { color: var(--muted); font-style: italic; }
p.pager { display: flex; gap: 1rem; }
td.title { max-width: 22rem; }
#account table { margin-bottom: .75rem; }
)css";

const std::string_view kConsoleJs = R"js('use strict';
// Keyboard shortcuts of the reviewer console. Queue: j/k (or arrows) move, Enter or o opens.
// One verdict: c confirm, d dismiss (overturn), e escalate, n note, q back to the queue.
(function () {
  const body = document.body;
  const rows = Array.from(document.querySelectorAll('#queue tbody tr'));
  if (rows.length) rows[0].classList.add('selected');
  rows.forEach((row) => row.addEventListener('click', (ev) => {
    if (ev.target.tagName !== 'A') window.location.assign(row.dataset.href);
  }));
  document.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) {
      if (ev.key === 'Escape') t.blur();
      return;
    }
    if (body.classList.contains('item')) {
      const buttons = { c: 'confirm', d: 'dismiss', e: 'escalate' };
      const target = buttons[ev.key] ? document.getElementById(buttons[ev.key])
        : ev.key === 'n' ? document.getElementById('note')
        : ev.key === 'q' ? document.getElementById('back') : null;
      if (!target) return;
      ev.preventDefault();
      if (ev.key === 'n') target.focus(); else target.click();
    } else if (rows.length) {
      let i = rows.findIndex((r) => r.classList.contains('selected'));
      if (ev.key === 'j' || ev.key === 'ArrowDown') i = Math.min(rows.length - 1, i + 1);
      else if (ev.key === 'k' || ev.key === 'ArrowUp') i = Math.max(0, i - 1);
      else if (ev.key === 'Enter' || ev.key === 'o') { window.location.assign(rows[Math.max(i, 0)].dataset.href); return; }
      else return;
      ev.preventDefault();
      rows.forEach((r) => r.classList.remove('selected'));
      rows[i].classList.add('selected');
      rows[i].scrollIntoView({ block: 'nearest' });
    }
  });
  // One decision per click: a second submit while the first is on its way is dropped.
  const form = document.getElementById('decide-form');
  if (form) {
    let sent = false;
    form.addEventListener('submit', (ev) => { if (sent) ev.preventDefault(); sent = true; });
  }
})();
)js";

}  // namespace tusk::serve
