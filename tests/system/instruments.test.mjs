// instruments.test.mjs - questionnaires as data from the command line:
// `hearth instruments list` (built-ins and a network's instruments_dir),
// `hearth instruments check FILE` on good and bad files, a bad network file
// stopping `hearth serve`, `hearth analyse` on a good CSV (its totals,
// mean change and t statistic worked out here independently) and on each
// kind of bad CSV (exit 1, a message naming the line and column), and
// `hearth analyse --network` on a generated network (its count of people
// checked against the database; tests/stats/network.sh checks every figure
// against R).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hearth, childEnv, writeConfig, createDatabase, REPO } from './lib/server.mjs';
import { sql } from './lib/fixtures.mjs';

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-instruments-'));
after(() => fs.rmSync(cwd, { recursive: true, force: true }));

function run(args) {
  return hearth(args, { cwd, env: childEnv() });
}

function write(name, text) {
  const file = path.join(cwd, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof text === 'string' ? text : JSON.stringify(text, null, 2));
  return file;
}

// A network's own file in the shape of a licensed scale: invented items, a
// filler, a reversed item and two subscales.
function networkInstrument() {
  return {
    id: 'our-hope', name: 'Our hope questions', version: '1', licence: 'Ours', citation: 'Written by our members, 2026',
    constructs: ['hope', 'empowerment'], validated: false, instructions: '',
    options: [{ label: 'Not at all', value: 1 }, { label: 'A little', value: 2 }, { label: 'Mostly', value: 3 }, { label: 'Completely', value: 4 }],
    items: [
      { id: 'h1', text: 'Placeholder one' }, { id: 'h2', text: 'Placeholder two' },
      { id: 'f1', text: 'Placeholder filler', filler: true }, { id: 'e1', text: 'Placeholder three' },
      { id: 'e2', text: 'Placeholder four' },
    ],
    reverse: ['e2'],
    scales: [
      { id: 'hope', name: 'Hope', items: ['h1', 'h2'], rule: 'sum' },
      { id: 'empowerment', name: 'Empowerment', items: ['e1', 'e2'], rule: 'mean', prorate_max_missing: 0.5 },
    ],
  };
}

describe('hearth instruments', () => {
  it('list shows the built-in instruments', async () => {
    const r = await run(['instruments', 'list']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^rosenberg-self-esteem {2}Rosenberg Self-Esteem Scale/m);
    assert.match(r.stdout, /^ons-personal-wellbeing {2}/m);
    assert.match(r.stdout, /scales: life-satisfaction, worthwhile, happiness, anxiety/);
  });

  it('check accepts a network file and names its items and scales', async () => {
    const file = write('good/our-hope.json', networkInstrument());
    const r = await run(['instruments', 'check', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${file}: ok: Our hope questions (5 items, 2 scales)\n`);
  });

  it('instruments_dir adds the network file to the list and to analyse', async () => {
    const dir = path.join(cwd, 'network');
    write('network/our-hope.json', networkInstrument());
    const config = writeConfig(`[network]\ninstruments_dir = ${dir}\n`);
    const list = await run(['--config', config, 'instruments', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^our-hope {2}Our hope questions \(version 1\) \[not validated\]/m);
    const csv = write('hope.csv', 'person,time,h1,h2,f1,e1,e2\np1,1,1,2,4,2,\np1,2,3,4,1,4,1\n');
    const r = await run(['--config', config, 'analyse', csv, '--instrument', 'our-hope', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.instrument.validated, false);
    const [hope, empowerment] = out.scales;
    assert.equal(hope.baseline.mean, 1 + 2);
    assert.equal(hope.latest.mean, 3 + 4);
    // e2 missing at baseline: prorated (one of two, allowed) to e1's mean, 2.
    assert.equal(empowerment.baseline.mean, 2);
    // e2 = 1 reversed is 1 + 4 - 1 = 4; the mean of 4 and 4.
    assert.equal(empowerment.latest.mean, 4);
    fs.rmSync(path.dirname(config), { recursive: true });
  });

  const bad = [
    ['an unknown field', (d) => { d.colour = 'blue'; }, /: colour: unknown field$/m],
    ['an unknown field inside an item', (d) => { d.items[1].weight = 2; }, /: items\[1\]\.weight: unknown field$/m],
    ['a reverse item that does not exist', (d) => { d.reverse = ['e9']; }, /: reverse\[0\]: no item "e9"$/m],
    ['options without values', (d) => { delete d.options[2].value; }, /: options\[2\]\.value: missing \(required\)$/m],
    ['a subscale naming a missing item', (d) => { d.scales[1].items = ['e1', 'e3']; }, /: scales\[1\]\.items\[1\]: no item "e3"$/m],
    ['a missing citation', (d) => { delete d.citation; }, /: citation: missing \(required\)$/m],
    ['a reliability of 1', (d) => { d.scales[0].reliable_change = { sd: 3, reliability: 1, source: 'x' }; },
      /: scales\[0\]\.reliable_change\.reliability: should be between 0 and 1/m],
    ['an id with capitals', (d) => { d.id = 'Our-Hope'; }, /: id: "Our-Hope" is not a valid id/m],
  ];
  for (const [what, change, message] of bad) {
    it(`check refuses ${what}, naming the file and field (exit 1)`, async () => {
      const doc = networkInstrument();
      change(doc);
      const file = write(`bad/${what.replaceAll(' ', '-')}.json`, doc);
      const r = await run(['instruments', 'check', file]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, message);
      assert.ok(r.stderr.includes(file), 'names the file');
      assert.equal(r.stdout, '');
    });
  }

  it('the worked examples in docs/instruments.md pass the check', async () => {
    const doc = fs.readFileSync(path.join(REPO, 'docs/instruments.md'), 'utf8');
    const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.equal(examples.length, 2);
    for (const [i, text] of examples.entries()) {
      const file = write(`docs-example-${i}.json`, text);
      const r = await run(['instruments', 'check', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /: ok: /);
    }
  });

  it('check refuses text that is not JSON and a file that is not there', async () => {
    const file = write('broken.json', '{"id": "x",\n');
    const r = await run(['instruments', 'check', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /broken\.json: line \d+, column \d+: not valid JSON/);
    const missing = await run(['instruments', 'check', path.join(cwd, 'nowhere.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nowhere\.json: cannot be read/);
  });

  it('check refuses a network file that takes a built-in id', async () => {
    const doc = networkInstrument();
    doc.id = 'rosenberg-self-esteem';
    const file = write('clash.json', doc);
    const r = await run(['instruments', 'check', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /clash\.json: id: "rosenberg-self-esteem" is already the id of a built-in/);
  });

  it('a bad file in instruments_dir stops `hearth serve` before it starts', async () => {
    const doc = networkInstrument();
    doc.reverse = ['nope'];
    write('badnet/ours.json', doc);
    const config = writeConfig(`[network]\ninstruments_dir = ${path.join(cwd, 'badnet')}\n`);
    const r = await run(['--config', config, '--database', path.join(cwd, 'serve.db'), 'serve', '--listen', '127.0.0.1:0']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ours\.json: reverse\[0\]: no item "nope"/);
    fs.rmSync(path.dirname(config), { recursive: true });
  });

  it('wrong usage exits 2', async () => {
    for (const [args, message] of [[['instruments'], /say what to do/], [['instruments', 'check'], /give the instrument file/],
      [['instruments', 'frob'], /unknown subcommand "frob"/], [['analyse'], /give the CSV file/],
      [['analyse', 'x.csv'], /--instrument/], [['analyse', 'x.csv', '--instrument', 'a', '--bogus'], /unknown option "--bogus"/],
      [['analyse', '--network', '--by', 'week'], /--by must be "tag", "period" or "tag,period", not "week"/],
      [['analyse', '--by', 'tag'], /--by goes with --network/],
      [['analyse', 'x.csv', '--network'], /--network reads the database/]]) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
  });
});

// ---- analyse ------------------------------------------------------------

const RSE_ITEMS = Array.from({ length: 10 }, (_, i) => `rse${i + 1}`);
const RSE_REVERSED = new Set([2, 5, 6, 8, 9]);

// The Rosenberg total, worked out here: SA=3..SD=0 on the positive items,
// reversed (3 - value) on items 2, 5, 6, 8 and 9.
function rosenbergTotal(answers) {
  return answers.reduce((sum, v, i) => sum + (RSE_REVERSED.has(i + 1) ? 3 - v : v), 0);
}

// people: [person, [[time, answers]...]]
const PEOPLE = [
  ['p1', [[1, [1, 2, 1, 1, 2, 2, 1, 2, 2, 1]], [2, [2, 1, 2, 2, 1, 1, 2, 1, 1, 2]]]],
  ['p2', [[1, [2, 1, 2, 2, 1, 1, 2, 1, 1, 2]], [3, [3, 0, 3, 3, 0, 0, 3, 0, 0, 3]]]],
  ['p3', [[1, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]], [2, [2, 1, 2, 2, 1, 1, 2, 1, 1, 2]], [4, [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]]]],
  ['p4', [[2, [0, 3, 0, 0, 3, 3, 0, 3, 3, 0]], [5, [1, 2, 1, 1, 2, 2, 1, 2, 2, 3]]]],
  ['p5', [[1, [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]]]],
];

function goodCsv() {
  const lines = [['person', 'time', ...RSE_ITEMS].join(',')];
  for (const [person, visits] of PEOPLE)
    for (const [time, answers] of visits) lines.push([person, time, ...answers].join(','));
  return `${lines.join('\r\n')}\r\n`;
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

describe('hearth analyse', () => {
  const csv = write('rse.csv', goodCsv());
  const baseline = PEOPLE.map(([, v]) => rosenbergTotal(v[0][1]));
  const followed = PEOPLE.filter(([, v]) => v.length > 1);
  const changes = followed.map(([, v]) => rosenbergTotal(v.at(-1)[1]) - rosenbergTotal(v[0][1]));

  it('--json gives the totals, the mean change and the paired t', async () => {
    const r = await run(['analyse', csv, '--instrument', 'rosenberg-self-esteem', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.people, PEOPLE.length);
    assert.equal(out.rows, PEOPLE.reduce((n, [, v]) => n + v.length, 0));
    const [total] = out.scales;
    assert.equal(total.id, 'total');
    assert.equal(total.min, 0);
    assert.equal(total.max, 30);
    assert.equal(total.baseline.n, baseline.length);
    assert.ok(Math.abs(total.baseline.mean - mean(baseline)) < 1e-9);
    assert.equal(total.change.n, changes.length);
    assert.ok(Math.abs(total.change.t_test.mean - mean(changes)) < 1e-9);
    const t = mean(changes) / (sd(changes) / Math.sqrt(changes.length));
    assert.ok(Math.abs(total.change.t_test.t - t) < 1e-9, `t ${total.change.t_test.t} vs ${t}`);
    assert.equal(total.change.t_test.df, changes.length - 1);
    // Reliable change: S_diff = sqrt(2) * SD * sqrt(1 - r) from the file's constants.
    const sdiff = Math.sqrt(2) * 5.8 * Math.sqrt(1 - 0.85);
    const improved = changes.filter((c) => c / sdiff > 1.96).length;
    assert.equal(total.reliable_change.improved, improved);
    assert.equal(total.reliable_change.improved + total.reliable_change.no_change + total.reliable_change.worse, changes.length);
    assert.equal(total.reliability.people, PEOPLE.length);
    assert.equal(typeof total.reliability.alpha_raw, 'number');
  });

  it('prints a readable summary', async () => {
    const r = await run(['analyse', csv, '--instrument', 'rosenberg-self-esteem']);
    assert.equal(r.code, 0, r.stderr);
    const rows = PEOPLE.reduce((n, [, v]) => n + v.length, 0);
    assert.match(r.stdout, new RegExp(`^Rosenberg Self-Esteem Scale \\(rosenberg-self-esteem\\): ${rows} rows, ${PEOPLE.length} people$`, 'm'));
    assert.match(r.stdout, new RegExp(`^ {2}Baseline: n 5, mean ${mean(baseline).toFixed(2)},`, 'm'));
    assert.match(r.stdout, new RegExp(`^ {4}mean change ${mean(changes).toFixed(2)} \\(95% CI `, 'm'));
    assert.match(r.stdout, /Wilcoxon signed-rank V = /);
    assert.match(r.stdout, /Cronbach's alpha /);
  });

  it('ONS answers by date, one scale per question', async () => {
    const ons = write('ons.csv', 'person,time,life-satisfaction,worthwhile,happiness,anxiety\n'
      + 'a,2026-01-05,5,6,4,7\na,2026-03-02,7,7,6,3\nb,2026-01-12,3,5,5,8\nb,2026-02-23,6,,6,6\n');
    const r = await run(['analyse', ons, '--instrument', 'ons-personal-wellbeing', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.scales.map((s) => s.id), ['life-satisfaction', 'worthwhile', 'happiness', 'anxiety']);
    assert.equal(out.scales[0].change.t_test.mean, mean([7 - 5, 6 - 3]));
    assert.equal(out.scales[1].change.n, 1, 'b did not answer worthwhile the second time');
    assert.equal(out.scales[3].higher_is_better, false);
    assert.equal(out.scales[3].change.t_test.mean, mean([3 - 7, 6 - 8]));
    assert.equal(out.scales[0].reliability, null, 'one item: no alpha');
  });

  const header = ['person', 'time', ...RSE_ITEMS].join(',');
  const row = (...cells) => cells.join(',');
  const badCsvs = [
    ['a ragged row', `${header}\n${row('a', 1, 1, 2, 1, 1, 2, 2, 1, 2, 2, 1)}\n${row('a', 2, 1, 2, 1)}\n`,
      /: line 3: has 5 fields but the header has 12$/m],
    ['a non-numeric answer', `${header}\n${row('a', 1, 1, 2, 'agree', 1, 2, 2, 1, 2, 2, 1)}\n`,
      /: line 2, column "rse3": "agree" is not a number/m],
    ['an answer outside the options', `${header}\n${row('a', 1, 1, 2, 1, 1, 2, 2, 1, 2, 4, 1)}\n`,
      /: line 2, column "rse9": 4 is not one of the item's values \(3, 2, 1, 0\)$/m],
    ['an unknown item column', `${header},rse11\n`, /: line 1, column "rse11": not an item of rosenberg-self-esteem/m],
    ['no person column', `time,rse1\n1,2\n`, /: line 1: there is no "person" column/m],
    ['no time column', `person,rse1\na,2\n`, /: line 1: there is no "time" column/m],
    ['a time that is not a number or date', `person,time,rse1\na,last week,2\n`,
      /: line 2, column "time": "last week" is neither a whole number nor a date/m],
    ['a quote left open', `person,time,rse1\na,1,2\n"b,2,1\n`, /: line 3, field 1: a quoted field that starts here is never closed/m],
    ['the same person and time twice', `person,time,rse1\na,1,2\na,1,3\n`, /: line 3: person "a" already has a row for this time \(line 2\)/m],
  ];
  for (const [what, text, message] of badCsvs) {
    it(`refuses ${what} with the place named (exit 1)`, async () => {
      const file = write(`bad-${what.replaceAll(' ', '-')}.csv`, text);
      for (const args of [[], ['--json']]) {
        const r = await run(['analyse', file, '--instrument', 'rosenberg-self-esteem', ...args]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, message);
        assert.ok(r.stderr.includes(file), 'names the file');
        assert.equal(r.stdout, '', 'prints nothing else');
      }
    });
  }

  it('refuses an instrument it does not know, and a CSV that is not there', async () => {
    const r = await run(['analyse', csv, '--instrument', 'lot-r']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /there is no instrument "lot-r"/);
    const missing = await run(['analyse', path.join(cwd, 'none.csv'), '--instrument', 'rosenberg-self-esteem']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /none\.csv: cannot be read/);
  });
});

describe('hearth analyse --network', () => {
  let database;
  const network = (args) => run(['--database', database.url, 'analyse', '--network', ...args]);

  before(async () => {
    database = await createDatabase();
    const r = await run(['--database', database.url, 'gen', '--groups', '3', '--members', '300', '--months', '6', '--seed', '1']);
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => database?.drop());

  it('gives the coordinators\' figures as JSON, counting the people the database says', async () => {
    // People who agreed to the network's reports with two or more finished
    // Rosenberg check-ins in one group: the pairs the figures come from.
    const pairs = Number((await sql({ database }, `SELECT COUNT(*) FROM (SELECT c.person_id, c.group_id
      FROM checkin c JOIN checkin_consent k ON k.person_id = c.person_id AND k.take_part = 1
      AND k.network_reports = 1 AND k.withdrawn_at IS NULL
      WHERE c.instrument_id = 'rosenberg-self-esteem' AND c.finished_at IS NOT NULL
      GROUP BY c.person_id, c.group_id HAVING COUNT(*) >= 2) AS p`)).trim());
    assert.ok(pairs >= 10, `enough pairs to show (${pairs})`);
    for (const by of ['tag', 'period']) {
      const r = await network(['--by', by, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.by, by);
      const rse = out.scales.find((s) => s.instrument_id === 'rosenberg-self-esteem');
      assert.equal(rse.all.n, pairs);
      assert.equal(rse.all.hidden, false);
      assert.ok(rse.all.latest_mean >= 0 && rse.all.latest_mean <= 30);
      if (by === 'period')
        assert.equal(rse.rows.reduce((sum, row) => sum + row.n, 0), pairs, 'each pair in one quarter');
    }
  });

  it('gives both splits from one reading with --by tag,period, each as --by gives it alone', async () => {
    const both = await network(['--by', 'tag,period', '--json']);
    assert.equal(both.code, 0, both.stderr);
    const { splits } = JSON.parse(both.stdout);
    assert.deepEqual(splits.map((s) => s.by), ['tag', 'period']);
    for (const split of splits) {
      const alone = await network(['--by', split.by, '--json']);
      assert.deepEqual(split, JSON.parse(alone.stdout), `--by ${split.by}`);
    }
    const text = await network(['--by', 'period,tag']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, / by quarter of the latest check-in:[\s\S]* by group tag:/);
  });

  it('refuses a --by it does not know, or a split named twice, with a usage error', async () => {
    for (const [by, message] of [['place', /--by must be "tag", "period" or "tag,period", not "place"/],
      ['tag,', /not "tag,"/], ['tag,tag', /--by names "tag" twice/]]) {
      const r = await network(['--by', by]);
      assert.equal(r.code, 2, `--by ${by}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });

  it('prints a readable summary', async () => {
    const r = await network([]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^The network's check-in figures: \d+ people with consented check-ins \(threshold 10\)/);
    assert.match(r.stdout, /Rosenberg Self-Esteem Scale: Self-esteem \(total\)\n {2}All groups +n \d+/);
  });
});
