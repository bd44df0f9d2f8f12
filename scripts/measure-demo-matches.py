#!/usr/bin/env python3
"""What the demo market pushes, through the running product (docs/matching.md, "The demo market").

  ./scripts/start                                     # a fresh database: the demo seeds and publishes its market
  python3 scripts/measure-demo-matches.py http://127.0.0.1:5080

Reads every published demand's stored matches (GET /api/demands/{id}/matches) and compares them with the intended
pairs of src/TechTransfer.Server/Demo/README.md: how many fitting demands get their achievement pushed (and first),
how many demands written to fit nothing get a push, and whether any shown term is a stop word, a lone character or a
bare number (issue 16). Prints one JSON line, then every miss, every such push and every such term.
"""
import json, re, sys, time, urllib.error, urllib.request
from pathlib import Path

base = sys.argv[1].rstrip('/') if len(sys.argv) > 1 else 'http://127.0.0.1:5080'
demo = Path(__file__).resolve().parent.parent / 'src/TechTransfer.Server/Demo'
demands = [json.loads(l) for l in (demo / 'demands.jsonl').read_text(encoding='utf-8').splitlines() if l.strip()]
external = {}
for line in (demo / 'achievements.jsonl').read_text(encoding='utf-8').splitlines():
    if line.strip():
        a = json.loads(line)
        external[a['title']] = a['externalId']
stopwords = {w for line in (demo.parent.parent / 'TechTransfer.Grains/Matching/stopwords.txt').read_text(encoding='utf-8').splitlines()
             for w in line.split('#')[0].split()}
intended = {}
for line in (demo / 'README.md').read_text(encoding='utf-8').splitlines():
    m = re.match(r'\| (\d+) \| .*? \| (.*)\|$', line.strip())
    if m:
        intended[int(m.group(1))] = re.findall(r'`(csl-[0-9a-f]+)`', m.group(2))


def get(path):
    for _ in range(60):  # anonymous reads are rate limited: wait as told
        try:
            with urllib.request.urlopen(base + path) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as e:
            if e.code != 429:
                raise
            time.sleep(float(e.headers.get('Retry-After') or 1))
    raise RuntimeError(f'{path}: still rate limited')


published, page = [], 1
while True:
    batch = get(f'/api/demands?status=Published&page={page}&size=100')['items']
    published += batch
    if len(batch) < 100:
        break
    page += 1
id_of = {d['title']: d['id'] for d in published}
titles = {}
found = first = fit_pushes = unfit_with_push = unfit_pushes = terms_shown = 0
notes = []
for line, demand in enumerate(demands, 1):
    matches = get(f"/api/demands/{id_of[demand['title']]}/matches")
    for m in matches:
        if m['achievementId'] not in titles:
            titles[m['achievementId']] = get(f"/api/achievements/{m['achievementId']}")['title']
    pushed = [(titles[m['achievementId']], m['score']) for m in matches]
    for m in matches:
        terms = m['explanation'].get('matchedTerms') or []
        terms_shown += len(terms)
        bad = [t for t in terms if len(t) < 2 or t.replace('.', '').isdigit() or t.lower() in stopwords]
        if bad:
            notes.append({'line': line, 'demand': demand['title'], 'meaningless terms shown': bad})
    if line in intended:
        fit_pushes += len(pushed)
        hits = [t for t, _ in pushed if external.get(t) in intended[line]]
        found += bool(hits)
        first += bool(pushed) and external.get(pushed[0][0]) in intended[line]
        if not hits:
            notes.append({'line': line, 'demand': demand['title'], 'missed; pushed instead': pushed[:3]})
    else:
        unfit_pushes += len(pushed)
        unfit_with_push += bool(pushed)
        if pushed:
            notes.append({'line': line, 'demand': demand['title'], 'fits nothing; pushed': pushed[:3]})
print(json.dumps({'fitting': len(intended), 'found': found, 'first': first, 'pushes': fit_pushes,
                  'fitting_nothing': len(demands) - len(intended), 'with_a_push': unfit_with_push,
                  'their_pushes': unfit_pushes, 'terms_shown': terms_shown,
                  'meaningless_terms': sum(len(n.get('meaningless terms shown', [])) for n in notes)}, ensure_ascii=False))
for note in notes:
    print(json.dumps(note, ensure_ascii=False))
