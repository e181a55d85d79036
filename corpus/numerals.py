"""Chinese numerals: as printed in article and item numbers (一 … 九十九, 一百零五), and as people type them in
questions (两, 〇, 二十五, 3, 十来, 三十五周岁). The one converter of the project."""
from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
VALUES = {**{ch: i for i, ch in enumerate(DIGITS)}, "〇": 0, "两": 2}
NUMBER_CHARS = "零一二三四五六七八九十百〇两"
NUMBER = re.compile(rf"\d+(?:\.\d+)?|[{NUMBER_CHARS}]+")


def to_chinese(n: int) -> str:
    """3 -> 三, 10 -> 十, 14 -> 十四, 22 -> 二十二, 105 -> 一百零五. Articles and items stay below 1000."""
    if not 0 < n < 1000:
        raise ValueError(f"no article or item number {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    if not hundreds:
        head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
        return head + (DIGITS[ones] if ones else "")
    text = DIGITS[hundreds] + "百"
    if tens:
        text += DIGITS[tens] + "十"
    elif ones:
        text += "零"
    return text + (DIGITS[ones] if ones else "")


def from_chinese(text: str) -> int:
    """The inverse of to_chinese, strict: raises ValueError on anything to_chinese would not print."""
    value = parse_number(text)
    if value is None or value != int(value) or not 0 < value < 1000 or to_chinese(int(value)) != text:
        raise ValueError(f"not a Chinese number: {text!r}")
    return int(value)


def parse_number(text: str) -> float | None:
    """A number as people write it: Arabic (3, 2.5), Chinese (二十五, 两, 一百二), or None."""
    if not text:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if any(ch not in NUMBER_CHARS for ch in text):
        return None
    total, current = 0, None
    for ch in text:
        if ch == "百":
            total += (current if current is not None else 1) * 100
            current = None
        elif ch == "十":
            total += (current if current is not None else 1) * 10
            current = None
        else:
            if current is not None and "十" not in text and "百" not in text:
                current = current * 10 + VALUES[ch]  # 三五 read digit by digit
            else:
                current = VALUES[ch]
    if current is not None:
        total += current * 10 if len(text) >= 2 and text[-2] == "百" else current  # 一百二 is 120
    return float(total)


__all__ = ["NUMBER", "from_chinese", "parse_number", "to_chinese"]
