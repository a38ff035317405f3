"""Per-article summaries in the Abstract + Q&A shape; every bullet cites spans of the article.

Offline: sentences scored by position and centrality (embeddings), picked with MMR for the
abstract; sections from drops in similarity between neighbouring sentences; titles from key
phrases; questions from what the section's best sentences contain. With an LLM: the model writes
the summary as JSON over numbered sentences, so every citation maps back to exact spans.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timezone

import numpy as np

from ingest.metadata import parse_date
from kb.embed import Embedder
from kb.llm import ChatModel, LLMError
from kb.models import QA, Article, Bullet, Section, Span, Summary
from kb.prompts import summary_messages
from kb.text import STOPWORDS, content_words, sentence_spans

_BYLINE = re.compile(r"^(by\s|\W*$)", re.IGNORECASE)
_SPEAKER = re.compile(
    r"\b(?:said|says|told|according to)\s+((?:[A-Z][\w'-]+\s?){1,3})|((?:[A-Z][\w'-]+\s){1,3})(?:said|says|told)\b"
)
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_CAPITALISED = re.compile(r"\b(?:[A-Z][\w'-]*[a-z][\w'-]*)(?:\s+(?:of\s+|the\s+)?[A-Z][\w'-]*)*")
_MAX_SENTENCES = 400


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def article_sentences(article: Article, text: str) -> list[tuple[int, int]]:
    """Sentence spans worth summarising: not the title, byline or dateline lines."""
    spans = []
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if sentence == article.title or _BYLINE.match(sentence) or len(sentence) < 30:
            continue
        if parse_date(sentence) and len(sentence) < 60:
            continue
        spans.append((start, end))
    return spans[:_MAX_SENTENCES]


def extractive_summary(article: Article, text: str, embedder: Embedder) -> Summary:
    spans = article_sentences(article, text) or [(0, len(text))]
    sentences = [text[s:e] for s, e in spans]
    vectors = embedder.embed(sentences)
    centroid = vectors.mean(axis=0)
    centrality = vectors @ (centroid / (np.linalg.norm(centroid) or 1.0))
    position = 1.0 / (1.0 + np.arange(len(spans)) / 4.0)
    salience = 0.6 * centrality + 0.4 * position
    abstract_ids = sorted(_mmr(vectors, salience, 3))
    sections = []
    for segment in _segments(vectors, target=min(5, max(2, len(spans) // 6))):
        sections.append(_section(segment, spans, sentences, vectors, salience, text))
    return Summary(
        article_id=article.id,
        title=article.title,
        mode="extractive",
        created_at=_now(),
        abstract=" ".join(sentences[i] for i in abstract_ids),
        sections=sections,
    )


def _mmr(vectors: np.ndarray, salience: np.ndarray, count: int, balance: float = 0.7) -> list[int]:
    """Salient sentences that do not repeat each other (maximal marginal relevance)."""
    chosen: list[int] = []
    while len(chosen) < min(count, len(salience)):
        redundancy = (
            (vectors @ vectors[chosen].T).max(axis=1) if chosen else np.zeros(len(salience))
        )
        scores = balance * salience - (1 - balance) * redundancy
        scores[chosen] = -np.inf
        chosen.append(int(np.argmax(scores)))
    return chosen


def _segments(vectors: np.ndarray, target: int) -> list[list[int]]:
    """Contiguous runs of sentences, cut where neighbouring windows are least alike (TextTiling)."""
    count = len(vectors)
    if count < 4:
        return [list(range(count))]
    gaps = []
    for gap in range(1, count):
        left = vectors[max(0, gap - 2) : gap].mean(axis=0)
        right = vectors[gap : gap + 2].mean(axis=0)
        gaps.append((float(left @ right / (np.linalg.norm(left) * np.linalg.norm(right))), gap))
    cuts: list[int] = []
    minimum = max(2, count // (target * 2))
    for _, gap in sorted(gaps):
        if len(cuts) == target - 1:
            break
        if all(abs(gap - other) >= minimum for other in cuts + [0, count]):
            cuts.append(gap)
    bounds = [0] + sorted(cuts) + [count]
    return [list(range(a, b)) for a, b in zip(bounds, bounds[1:])]


def _section(
    segment: list[int],
    spans: list[tuple[int, int]],
    sentences: list[str],
    vectors: np.ndarray,
    salience: np.ndarray,
    text: str,
) -> Section:
    centre = vectors[segment].mean(axis=0)
    ranked = sorted(segment, key=lambda i: -(float(vectors[i] @ centre) + 0.2 * salience[i]))
    phrase = _key_phrase([sentences[i] for i in segment])
    questions = []
    for lead in ranked[: 2 if len(segment) >= 4 else 1]:
        support = [lead] + [i for i in ranked if i != lead and float(vectors[i] @ vectors[lead]) > 0.5][:1]
        bullets = [
            Bullet(text=sentences[i], citations=[Span(start=spans[i][0], end=spans[i][1])])
            for i in sorted(support)
        ]
        questions.append(QA(question=_question(sentences[lead], phrase), answers=bullets))
    return Section(title=phrase[:1].upper() + phrase[1:], qa=_unique_questions(questions))


def _unique_questions(questions: list[QA]) -> list[QA]:
    seen: dict[str, QA] = {}
    for qa in questions:
        if qa.question in seen:
            seen[qa.question].answers += [b for b in qa.answers if b not in seen[qa.question].answers]
        else:
            seen[qa.question] = qa
    return list(seen.values())


def _key_phrase(sentences: Sequence[str]) -> str:
    """The most repeated name or two-word phrase in the section, else its most frequent word."""
    names = Counter(
        match.group().strip()
        for sentence in sentences
        for match in _CAPITALISED.finditer(sentence)
        if match.group().split()[0].lower() not in STOPWORDS and match.start() > 0
    )
    pairs: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for sentence in sentences:
        tokens = content_words(sentence)
        words.update(tokens)
        pairs.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:]))
    for counter in (names, pairs):
        if counter and counter.most_common(1)[0][1] >= 2:
            return counter.most_common(1)[0][0]
    if names:
        return names.most_common(1)[0][0]
    return words.most_common(1)[0][0] if words else "Details"


def _question(sentence: str, phrase: str) -> str:
    speaker = _SPEAKER.search(sentence)
    if speaker:
        name = (speaker.group(1) or speaker.group(2) or "").strip()
        if name and name.split()[0].lower() not in STOPWORDS:
            return f"What did {name} say about {phrase}?"
    if _NUMBER.search(sentence):
        return f"What are the key figures on {phrase}?"
    if re.search(r"\b(because|after|due to|caused|led to)\b", sentence, re.IGNORECASE):
        return f"Why did it happen, and what followed for {phrase}?"
    return f"What does the article report about {phrase}?"


def llm_summary(article: Article, text: str, llm: ChatModel) -> Summary:
    """The model's JSON, validated and mapped to spans; raises LLMError when it cannot be used."""
    spans = article_sentences(article, text) or [(0, len(text))]
    messages = summary_messages(article.title, [text[s:e] for s, e in spans])
    problem = ""
    for _ in range(2):  # one retry: small models sometimes return broken JSON
        if problem:
            messages = messages + [
                {"role": "user", "content": f"That was not usable ({problem}). Return only the JSON."}
            ]
        raw = llm.complete(messages, json_mode=True)
        try:
            return _summary_from_json(article, raw, spans, llm.name)
        except (ValueError, KeyError, TypeError) as error:
            problem = str(error)[:200]
    raise LLMError(f"the model's summary was not valid JSON in the expected shape ({problem})")


def _summary_from_json(
    article: Article, raw: str, spans: list[tuple[int, int]], model: str
) -> Summary:
    data = json.loads(re.sub(r"^```(?:json)?|```$", "", raw.strip()).strip())
    sections = []
    for section in data["sections"][:5]:
        qas = []
        for qa in section["qa"][:3]:
            bullets = [
                Bullet(
                    text=str(answer["text"]).strip(),
                    citations=[
                        Span(start=spans[n - 1][0], end=spans[n - 1][1])
                        for n in answer.get("sentences", [])
                        if isinstance(n, int) and 1 <= n <= len(spans)
                    ],
                )
                for answer in qa["answers"][:3]
            ]
            cited = [bullet for bullet in bullets if bullet.citations and bullet.text]
            if cited:
                qas.append(QA(question=str(qa["question"]).strip(), answers=cited))
        if qas:
            sections.append(Section(title=str(section["title"]).strip(), qa=qas))
    if not sections or not str(data["abstract"]).strip():
        raise ValueError("no abstract or no section with a cited answer")
    return Summary(
        article_id=article.id,
        title=article.title,
        mode="llm",
        model=model,
        created_at=_now(),
        abstract=str(data["abstract"]).strip(),
        sections=sections,
    )
