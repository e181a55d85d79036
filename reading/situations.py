"""The bank's questions as the reader sees them (`Example`): the measures' names masked, the turn a follow-up leans
on, and its topic. Training reads the train part through `training_examples`; a saved reader keeps only its
situations' bank ids and rebuilds their n-grams from the same texts (reading.model.answer_state), so the shipped
file holds no copy of what the bank already holds."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reading.bank import BANK, BankItem, load_bank
from reading.text import masked, measure_names


@dataclass
class Example:
    """A bank item as the reader sees it: the question, the turn before it as it was searched (its topic), and
    its own topic (a follow-up's turn before, then the question)."""

    item: BankItem
    question: str  # as the reader sees it: the measures' names masked (text.masked)
    previous: str
    topic: str


def examples(items: list[BankItem], names) -> list[Example]:
    out, topics = [], {}
    for item in items:
        question = masked(item.question, names)
        previous = topics.get(item.conversation, "") if item.conversation and item.turn and item.turn > 1 else ""
        topic = f"{previous} {question}".strip() if item.follows_up and previous else question
        if item.conversation:
            topics[item.conversation] = topic
        out.append(Example(item, question, previous, topic))
    return out


def labelled_measures(items: list[BankItem]) -> set[str]:
    """The measures the items label: the ones a reader trained on them ranks, and whose names it masks."""
    return {m for item in items for m in item.refs}


def training_examples(bank: Path = BANK) -> list[Example]:
    """The train part, in file order, with the names of the measures it labels masked (as the reader was fitted)."""
    items = load_bank("train", bank)
    return examples(items, measure_names(labelled_measures(items)))


def topics(ids: list[str], bank: Path = BANK) -> list[str]:
    """The topics of the training situations with these bank ids, in that order."""
    by_id = {e.item.id: e.topic for e in training_examples(bank)}
    return [by_id[i] for i in ids]


__all__ = ["Example", "examples", "labelled_measures", "topics", "training_examples"]
