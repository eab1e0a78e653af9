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

Wide (CJK) characters take two cells and wrap whole, as the terminal draws them.
"""
import sys
import unicodedata


def columns(character):
    """Cells a terminal gives a character: 2 for East Asian Wide/Fullwidth, 0 for combining marks."""
    if unicodedata.combining(character) or unicodedata.category(character) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1


def expect(width, prompt, text, cursor):
    rows, row, column = [""], 0, 0
    cursor_at = None
    for index, character in enumerate(prompt + text):
        cells = columns(character)
        if column == width or column + cells > width:
            rows.append("")
            row, column = row + 1, 0
        if index == len(prompt) + cursor:
            cursor_at = (column, row)
        rows[row] += character
        column += cells
    if column == width:
        # A line that fills its last row exactly leaves the cursor on the next, empty row.
        rows.append("")
        row, column = row + 1, 0
    if cursor_at is None:
        cursor_at = (column, row)
    # capture-pane drops trailing spaces, so rows compare without them.
    print("\n".join(r.rstrip(" ") for r in rows).rstrip("\n"))
    print(f"cursor {cursor_at[0]},{cursor_at[1]}")
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
