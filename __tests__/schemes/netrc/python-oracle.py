"""Check the netrc conformance table against Python's own `netrc` module.

The expected answers in fixtures/conformance.json are what Python's netrc gives, except on the
rows that carry a "python" field: there the row records what Python gives instead and "why" we
differ. The tests never call Python; run this by hand after editing the table:

    python3 __tests__/netrc/python-oracle.py

Host names are looked up without regard to case (what NetRCAuth does), by finding Python's key
that equals the host once both are lower-cased.
"""
import json
import netrc
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def python_reads(text):
    with tempfile.NamedTemporaryFile('w', encoding='utf-8', newline='', suffix='.netrc',
                                     delete=False) as f:
        f.write(text)
    try:
        parsed = netrc.netrc(f.name)
        return {'hosts': {k: list(v) for k, v in parsed.hosts.items()}}, parsed
    except netrc.NetrcParseError as e:
        return {'error': '%s (line %s)' % (e.msg, e.lineno)}, None
    finally:
        os.unlink(f.name)


def lookup(parsed, host):
    keys = [k for k in parsed.hosts if k != 'default' and k.lower() == host.lower()]
    if len(keys) == 1:
        return list(parsed.hosts[keys[0]])
    if len(keys) > 1:
        raise AssertionError('host %r listed in several cases: mark the row' % host)
    return list(parsed.hosts['default']) if 'default' in parsed.hosts else None


def main():
    rows = json.load(open(os.path.join(HERE, 'fixtures', 'conformance.json'), encoding='utf-8'))
    failed = 0
    for row in rows:
        got, parsed = python_reads(row['netrc'])
        if 'python' in row:
            ok = got == row['python']
            want = row['python']
        elif 'error' in row:
            ok = 'error' in got
            want = 'an error'
        else:
            ok = got == {'hosts': row['hosts']} and all(
                lookup(parsed, host) == expected for host, expected in row['lookups'].items())
            want = {'hosts': row['hosts'], 'lookups': row['lookups']}
        if not ok:
            failed += 1
            print('MISMATCH %s\n  python: %r\n  table:  %r' % (row['name'], got, want))
    print('%d rows, %d agree with Python %s, %d do not' % (
        len(rows), len(rows) - failed, sys.version.split()[0], failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
