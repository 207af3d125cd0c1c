#!/usr/bin/env python3
"""Writes table.txt: the toneless pinyin readings of the 6,763 characters of GB 2312, one line per syllable
("gui 傀刽...桂..."), for the same-sound check of duplicate residents (see mod.rs).

Source: pinyin-data 0.15.0 (MIT, https://github.com/mozillazg/pinyin-data), as shipped in the `pinyin` crate:
    cargo fetch of pinyin = "0.11", then
    python3 generate.py ~/.cargo/registry/src/*/pinyin-0.11.0/pinyin-data/pinyin.txt > table.txt
Every reading a character has is kept (曾 is both ceng and zeng), tones dropped, ü written v.
"""
import collections
import sys
import unicodedata


def plain(reading):
    decomposed = unicodedata.normalize('NFD', reading.strip()).replace('u\u0308', 'v')
    return ''.join(c for c in decomposed if not unicodedata.combining(c))


readings = {}
for line in open(sys.argv[1], encoding='utf-8'):
    if line.startswith('#') or not line.strip():
        continue
    code, rest = line.split(':', 1)
    found = []
    for r in rest.split('#')[0].split(','):
        p = plain(r)
        if p and p not in found:
            found.append(p)
    readings[chr(int(code.strip()[2:], 16))] = found

by_syllable = collections.defaultdict(set)
for hi in range(0xB0, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            c = bytes([hi, lo]).decode('gb2312')
        except UnicodeDecodeError:
            continue
        for r in readings.get(c, []):
            by_syllable[r].add(c)

for syllable in sorted(by_syllable):
    print(syllable, ''.join(sorted(by_syllable[syllable])))
