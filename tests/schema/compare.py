#!/usr/bin/env python3
"""Compares two descriptions of a database schema, object by object, and names every difference.

    compare.py --format catalog|pg_dump --names A,B FILE_A FILE_B

--format catalog: records of tests/schema/catalog.sql or tests/upgrade/extension_catalog.sql
  (`@@ <kind> <name>` then the properties; --title names them in the output);
  prints one line per kind: `ok - <kind>: N equal` or `not ok - <kind>: …` with each object that
  differs, or exists on one side only, and a diff of its properties.
--format pg_dump: the output of `pg_dump --schema-only`, split into its objects at pg_dump's own
  `-- Name: …; Type: …; Schema: …` headers (normalised: no comments, blank lines or SET lines);
  prints one line for the whole dump.

Exit status 1 when anything differs. Plain Python 3, no packages.
"""
import argparse
import difflib
import re
import sys
from collections import defaultdict

HEADER = re.compile(r'^-- (?:Data for )?Name: (.*); Type: (.*); Schema: (.*); Owner: .*$')


def read_catalog(path):
    objects = defaultdict(list)
    key, body = None, []
    with open(path, encoding='utf-8') as f:
        for line in f.read().split('\n'):
            if line.startswith('@@ '):
                if key is not None:
                    objects[key].append('\n'.join(body).rstrip('\n'))
                key, body = line[3:], []
            elif key is not None:
                body.append(line)
    if key is not None:
        objects[key].append('\n'.join(body).rstrip('\n'))
    return {k: '\n--\n'.join(sorted(v)) for k, v in objects.items()}


def read_pg_dump(path):
    objects = defaultdict(list)
    key, body = None, []

    def close():
        if key is not None:
            objects[key].append('\n'.join(body))

    with open(path, encoding='utf-8') as f:
        for line in f.read().split('\n'):
            m = HEADER.match(line)
            if m:
                close()
                name, kind, schema = m.groups()
                key = f'{kind} {schema}.{name}' if schema != '-' else f'{kind} {name}'
                body = []
            elif key is None or line.startswith('--') or not line.strip() \
                    or line.startswith('SET ') or line.startswith('SELECT pg_catalog.set_config') \
                    or re.match(r'^\\(un)?restrict ', line):
                continue
            else:
                body.append(line)
    close()
    return {k: '\n'.join(sorted(v)) for k, v in objects.items()}


def kind_of(key, fmt):
    return key.split(' ', 1)[0] if fmt == 'catalog' else 'pg_dump --schema-only'


def indent(text):
    return '\n'.join('#     ' + line for line in text.split('\n'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--format', choices=['catalog', 'pg_dump'], required=True)
    ap.add_argument('--names', default='a,b', help='what the two files describe, e.g. migrations,schema files')
    ap.add_argument('--max-lines', type=int, default=60, help='diff lines shown per object')
    ap.add_argument('--title', default='catalog', help='what a line of the catalog format calls its kinds')
    ap.add_argument('a')
    ap.add_argument('b')
    args = ap.parse_args()
    name_a, name_b = args.names.split(',', 1)
    read = read_catalog if args.format == 'catalog' else read_pg_dump
    a, b = read(args.a), read(args.b)

    kinds = defaultdict(lambda: {'equal': 0, 'problems': []})
    for key in sorted(set(a) | set(b)):
        k = kinds[kind_of(key, args.format)]
        if key not in b:
            k['problems'].append(f'#   only in {name_a}: {key}\n' + indent(a[key][:2000]))
        elif key not in a:
            k['problems'].append(f'#   only in {name_b}: {key}\n' + indent(b[key][:2000]))
        elif a[key] != b[key]:
            diff = list(difflib.unified_diff(a[key].split('\n'), b[key].split('\n'),
                                             name_a, name_b, n=2, lineterm=''))
            more = len(diff) - args.max_lines
            shown = '\n'.join(diff[:args.max_lines]) + (f'\n… {more} more diff lines' if more > 0 else '')
            k['problems'].append(f'#   differs: {key}\n' + indent(shown))
        else:
            k['equal'] += 1

    failed = False
    for kind in sorted(kinds):
        k = kinds[kind]
        label = kind if args.format == 'pg_dump' else f'{args.title}, {kind}'
        if k['problems']:
            failed = True
            print(f'not ok - {label}: {len(k["problems"])} object(s) differ ({k["equal"]} equal)')
            print('\n'.join(k['problems']))
        else:
            print(f'ok - {label}: {k["equal"]} objects equal')
    if not kinds:
        print(f'not ok - {args.format}: nothing to compare (empty input)')
        failed = True
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
