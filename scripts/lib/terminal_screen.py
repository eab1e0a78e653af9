#!/usr/bin/env python3
"""Screens for scripts/test-shell-terminal: what a prompt and line must look like at a width, and
what tmux shows, in the same form so the two compare as strings.

  terminal_screen.py expect WIDTH PROMPT TEXT CURSOR   rows of PROMPT+TEXT wrapped at WIDTH,
                                                      then the cursor column and row
  terminal_screen.py actual SCREEN_FILE CURSOR_FILE PREFIX...
                                                      the rows of a capture-pane dump from the
                                                      last row that starts with a PREFIX, the
                                                      cursor relative to that row, and how many
                                                      rows start with a PREFIX

Only for ASCII text (one column per character), which is what the suite types.
"""
import sys


def expect(width, prompt, text, cursor):
    line = prompt + text
    assert line.isascii()
    rows = [line[i:i + width] for i in range(0, len(line), width)] or [""]
    # A line that fills its last row exactly leaves the cursor on the next, empty row.
    if len(line) % width == 0 and len(line) > 0:
        rows.append("")
    offset = len(prompt) + cursor
    row, column = divmod(offset, width)
    while rows and rows[-1] == "" and len(rows) - 1 > row:
        rows.pop()
    # capture-pane drops trailing spaces, so rows compare without them.
    print("\n".join(r.rstrip(" ") for r in rows).rstrip("\n"))
    print(f"cursor {column},{row}")
    print("prompt-rows 1")


def actual(screen_file, cursor_file, prefixes):
    rows = open(screen_file, encoding="utf-8").read().split("\n")
    cursor_x, cursor_y = (int(n) for n in open(cursor_file).read().strip().split(","))
    rows = [row.rstrip(" ") for row in rows]
    starts = [i for i, row in enumerate(rows) if (row + " ").startswith(tuple(prefixes))]
    if not starts:
        print("no prompt on screen")
        return
    first = starts[-1]
    shown = rows[first:]
    while shown and shown[-1] == "":
        shown.pop()
    print("\n".join(shown))
    print(f"cursor {cursor_x},{cursor_y - first}")
    print(f"prompt-rows {len(starts)}")


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "expect":
        expect(int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        actual(sys.argv[2], sys.argv[3], sys.argv[4:])
