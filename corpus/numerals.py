"""Chinese numerals as printed in article numbers (一 … 九十九), both ways."""

DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """3 -> 三, 10 -> 十, 14 -> 十四, 22 -> 二十二. Articles and items stay below 100."""
    if not 0 < n < 100:
        raise ValueError(f"no article or item number {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
    return head + (DIGITS[ones] if ones else "")


def from_chinese(text: str) -> int:
    """The inverse of to_chinese; raises ValueError on anything else."""
    if not text or any(ch not in DIGITS[1:] + "十" for ch in text) or text.count("十") > 1:
        raise ValueError(f"not a Chinese number: {text!r}")
    if "十" not in text:
        if len(text) != 1:
            raise ValueError(f"not a Chinese number: {text!r}")
        return DIGITS.index(text)
    head, _, tail = text.partition("十")
    if len(head) > 1 or len(tail) > 1:
        raise ValueError(f"not a Chinese number: {text!r}")
    return (DIGITS.index(head) if head else 1) * 10 + (DIGITS.index(tail) if tail else 0)
