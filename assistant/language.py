"""The language of a question: Chinese when it has a meaningful share of CJK characters, else English."""
import re

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def detect_lang(text: str) -> str:
    """'zh' or 'en'. A mostly-English question that names 泰兴 or quotes a Chinese term stays English."""
    cjk, latin_words = len(CJK.findall(text)), len(re.findall(r"[A-Za-z]+", text))
    return "zh" if cjk and cjk >= latin_words else "en" if latin_words else "zh"
