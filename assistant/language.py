"""The language of a question: Chinese when it has a meaningful share of CJK characters, else English."""
import re

CJK = re.compile(r"[\u3400-\u9fff]")
MARKUP = re.compile(r"<[^>]{0,200}>")


def detect_lang(text: str) -> str:
    """'zh' or 'en'. A mostly-English question that names 泰兴 or quotes a Chinese term stays English."""
    text = MARKUP.sub(" ", text)  # tags and attributes say nothing about the asker's language
    cjk, latin_words = len(CJK.findall(text)), len(re.findall(r"[A-Za-z]+", text))
    return "zh" if cjk and cjk >= latin_words else "en" if latin_words else "zh"
