"""The question a news sentence answers, asked of its figure or its date: "How many homes had
taken on water?" of "Chief Moreau said at least 250 homes had taken on water", where the
summary's templates could only ask "What are the key figures?". Empty when the sentence is not
of a shape read here for sure: a wrong question reads worse than a general one."""

from __future__ import annotations

import re
from functools import cache

import lemminflect

from kb.constraints import CAPITAL_MONTH_PATTERN
from kb.text import STOPWORDS, WEEKDAYS, YEAR, word_kinds

_AUXILIARIES = frozenset(
    "is are was were has have had will would could can may might should must".split()
)
# A subject is none of these alone ("It expects…": what is "it"?), and a clause that opens with
# one of the others has no subject first ("In March, …", "After the vote, …").
_PRONOUNS = frozenset("i we you he she it they this that these those there which who what".split())
_OPENERS = frozenset(
    "in on at after before for when as with by since despite although though while if under "
    "during to from once until because".split()
)
# Words a subject cannot hold: it would be a clause, not a thing ("Officials who saw it said").
_CLAUSE_WORDS = frozenset("that which who whom whose where when if because said says".split())
# Where a predicate's clause ends: "cut 400 jobs and closed two plants", "…, a figure he expected".
_BREAKS = frozenset(
    "and but as while which who whom after before because when where though although since "
    "than rather so whereas including".split()
)
_NEGATIONS = frozenset("not never no n't cannot".split())
# Saying verbs whose clause is what the sentence reports: "Chief Moreau said at least 250
# homes…", "Norvane executives told local officials that the first wafers would…".
_SAYING = (
    r"(?:said|says)(?:\s+on\s+[A-Z]\w+)?|(?:told\s+(?:[\w'’-]+\s+){1,3}?|estimated\s+|estimates\s+|reported\s+|"
    r"announced\s+|noted\s+|warned\s+|found\s+|confirmed\s+|added\s+)that"
)
_SAID_FIRST = re.compile(rf"^(?P<who>[^,]{{2,80}}?)\s+(?:{_SAYING})\s+(?:that\s+)?")
_SAID_AFTER = re.compile(
    r",\s+(?:(?:[^,]{1,80}?\s+)?(?:said|says|told\s+[\w'’ -]{1,40})(?:\s+on\s+\w+)?"
    r"|according\s+to\s+[^,]{1,80})$"
)
_ACCORDING = re.compile(r"^According\s+to\s+[^,]{1,80},\s+")
# "Before any contract is signed, …", "Two weeks after announcing the plant, …": what the clause
# after it does is what is asked of ("When" would ask of the opening's own date).
_OPENING_CLAUSE = re.compile(r"^(\w+)\b[^,]{0,80},\s+")
_SOME_TIME_AFTER = re.compile(r"^(?:\w+\s+){1,3}(?:after|before)\s[^,]{0,80},\s+")
_LEADING_LINK = re.compile(r"^(?:And|But|Still|However|Meanwhile|Now|Yet)\b,?\s+")

_QUALIFIER = (
    r"(?i:about|around|nearly|almost|roughly|approximately|some|over|under|just\s+over|"
    r"just\s+under|more\s+than|less\s+than|fewer\s+than|at\s+least|at\s+most|up\s+to|"
    r"an\s+estimated|an\s+additional|an\s+average\s+of|a\s+total\s+of|another)\s+"
)
_NUMBER = r"(?:US)?[$€£]?\d(?:[\d,]*\d)?(?:\.\d+)?(?:bn|m|k)?(?!\w)"  # not "12million"
_SCALE = r"(?:\s+(?:million|billion|trillion|thousand|hundred))?"
_SHARE = r"(?:%|\s+(?:percentage\s+points?|percent\b|per\s+cent\b))"
_FIGURE = re.compile(
    rf"(?<![\w.-])(?:{_QUALIFIER})?(?P<number>{_NUMBER}){_SCALE}(?P<share>{_SHARE})?"
)
# "in early 2029", "on April 15", "in the second half of 2028", "in July", "on March 22, 2026"
_DATE = re.compile(
    rf"\b(?:on|in)\s+(?:(?:early|mid-|late)\s*{YEAR.pattern}"
    rf"|the\s+(?:first|second)\s+half\s+of\s+{YEAR.pattern}"
    rf"|(?:the\s+)?(?:spring|summer|autumn|fall|winter)\s+of\s+{YEAR.pattern}"
    rf"|(?:{CAPITAL_MONTH_PATTERN})\.?(?:\s+\d{{1,2}}(?:,\s+{YEAR.pattern})?|\s+{YEAR.pattern})?"
    rf"|{YEAR.pattern})\b"
)
_FUNCTION_WORDS = STOPWORDS | {"per"}  # "94,000 boardings per weekday"
_MOST_WORDS = 16  # a question longer than this reads as the answer, not a question


def question_answered_by(sentence: str, common: set[str] | frozenset[str]) -> str:
    """How much, how many or when, asked of what the sentence's subject does: of "Shares of
    Norvane rose 7.4% in Amsterdam trading", "How much did shares of Norvane rise in Amsterdam
    trading?"; empty when not sure. `common`: the words the article writes in lower case, so
    that "Shares" opening the sentence is asked of as "shares" and "Bale" stays a name."""
    if re.search(r"[\"“”?!‘]|(?:^|\s)'", sentence):  # a quotation's words are its speaker's
        return ""
    clause = _reported(sentence.strip().rstrip("."))
    question = _of_the_subjects_count(clause) or _inverted(clause, common)
    if re.search(r"(?:^|\s)\(", question) or not 3 <= len(question.split()) <= _MOST_WORDS:
        return ""
    return question


def _reported(sentence: str) -> str:
    """What the sentence reports, without who says it: "Chief Moreau said at least 250 homes…"
    is "at least 250 homes…"; ", the company said on Thursday" and "According to X, " go."""
    clause = _LEADING_LINK.sub("", _ACCORDING.sub("", sentence))
    opening = _OPENING_CLAUSE.match(clause)
    # "Looking at individual outcomes, heart attacks fell…"
    if opening and (opening.group(1).lower() in _OPENERS or opening.group(1).endswith("ing")):
        clause = clause[opening.end() :]
    clause = _SOME_TIME_AFTER.sub("", clause)
    clause = _SAID_AFTER.sub("", clause)
    said = _SAID_FIRST.match(clause)
    if said and len(said.group("who").split()) <= 8:
        clause = clause[said.end() :]
    return clause


def _of_the_subjects_count(clause: str) -> str:
    """ "About 400 people spent Saturday in the gymnasium" → "How many people spent Saturday in
    the gymnasium?", "9.8 percent of patients on the drug had an event" → "What share of
    patients on the drug had an event?": the figure is the subject, the rest of its clause is
    asked as it is."""
    figure = _FIGURE.match(clause)
    if (
        not figure
        or not _is_a_figure(clause, figure)
        or re.match(r"(?:US)?[$€£]", figure.group("number"))
        or not clause[figure.end() : figure.end() + 1].isspace()
    ):
        return ""
    words = clause[figure.end() :].split()
    if figure.group("share"):
        how, noun = "What share", words[:1] if words[:1] == ["of"] else []
    else:
        how, noun = "How many", []
    while words[len(noun) :] and len(noun) < 3 + 4 * (how == "What share"):
        word = words[len(noun)]
        if _verb_form(word, noun[-1] if noun else "x") or not _describes_a_thing(word):
            break
        noun.append(word)
    place = _place(words[len(noun) :])  # "about 8 million adults in the UK have…"
    rest = words[len(noun) + len(place) :]
    if not noun or noun == ["of"] or not rest or not _verb_form(rest[0], (noun + place)[-1]):
        return ""
    return _asked(how, *noun, *place, *_up_to_a_break(rest))


def _place(words: list[str]) -> list[str]:
    """A place or a group after a noun, up to a verb: "in the UK", "on the drug"."""
    if words[:1] not in (["in"], ["at"], ["on"], ["from"], ["across"]):
        return []
    for end in range(2, min(len(words), 5)):
        if _verb_form(words[end], words[end - 1]):
            return (
                words[:end]
                if all(_describes_a_thing(w) or w == "the" for w in words[1:end])
                else []
            )
    return []


def _inverted(clause: str, common: set[str] | frozenset[str]) -> str:
    """Subject, verb, then a figure or a date: "the council will pay Brightwater Geotechnical
    about $180,000" → "How much will the council pay Brightwater Geotechnical?"; "the first
    wafers would leave the plant in early 2029" → "When would the first wafers leave the plant?"."""
    words = clause.split()
    for at, word in enumerate(words[:12]):
        if word.lower().strip(",") in _CLAUSE_WORDS:
            return ""
        form = _verb_form(word, words[at - 1] if at else "")
        # "A request filed by the state is…": "filed" only describes the request ("fell by" does not)
        if at and form and not (words[at + 1 : at + 2] == ["by"] and _participle([word])):
            break
    else:
        return ""
    subject = _subject(words[:at], common)
    predicate = _up_to_a_break(words[at + 1 :])
    if not subject or _NEGATIONS & {w.lower() for w in predicate}:
        return ""
    verb = word.lower()
    if form == "aux":
        asks = [verb, subject]
    else:
        asks = ["did" if form == "past" else "does", subject, _lemma(word)]
    # "was hired", "is carrying", "has found"; not "is at 100 per cent", "has 2.8 million
    # subscribers", "was a win over…", whose questions read badly
    done = form != "aux" or verb in _MODALS or _participle(predicate)
    rest = " ".join(predicate)
    figure = next((f for f in _FIGURE.finditer(rest) if _is_a_figure(rest, f)), None)
    if figure:
        if not done and not (verb in _BE and figure.start() == 0):  # "The fine was $14.5m"
            return ""
        return _of_the_figure(asks, rest, figure)
    date = _DATE.search(rest)
    before = rest[: date.start()].split() if date else []
    # "Afghan security forces estimated in March": estimated what?
    if (
        date
        and done
        and (before or form == "aux")
        and len(before) <= _MOST_BEFORE_A_DATE
        and not _DATE.search(subject)  # "When was the report filed on March 20 approved?"
    ):
        return _asked("When", *asks, *before)
    done_to = next((w.lower() for w in predicate if not _an_adverb(w)), "")
    # "The fireworks display was cancelled"; not "a planned rendezvous with the ISS six hours
    # later", whose subject says more than what is asked of
    if verb in {"was", "were"} and done_to in _EVENTS and len(subject.split()) <= 6:
        return _asked("What happened to", subject)
    return ""


_BE = frozenset("is are was were".split())
# What is done to someone or something that a news story reports as an event; not "was told",
# "was designed", "was seen", "were included" ("What happened to the court?" of "The court was
# told that…").
_EVENTS = frozenset(
    "arrested charged indicted convicted sentenced jailed fined cleared acquitted released freed "
    "detained deported extradited killed injured hurt wounded shot stabbed attacked rescued "
    "evacuated hospitalised hospitalized treated cancelled canceled postponed delayed closed "
    "reopened suspended banned fired sacked dismissed replaced appointed elected recalled "
    "approved rejected passed vetoed scrapped abandoned withdrawn dropped eliminated relegated "
    "destroyed damaged flooded demolished sold bought acquired awarded handcuffed expelled".split()
)
_MODALS = frozenset("will would could can may might should must".split())
_MOST_BEFORE_A_DATE = 6  # "When has promise been posting … for six years now having started …?"


def _an_adverb(word: str) -> bool:
    """ "twice", "originally", "today"; not "to" or "up", which the lexicon also has as adverbs."""
    kinds = word_kinds(word)
    return word.lower() not in STOPWORDS and (kinds == {"ADV"} or kinds == {"ADV", "NOUN"})


def _participle(predicate: list[str]) -> bool:
    """Whether the predicate opens with a participle, adverbs aside: "originally created"."""
    words = [w for w in predicate if not _an_adverb(w)][:1]
    if not words or not words[0].isalpha():
        return False
    word = words[0].lower()
    return any(
        word in lemminflect.getInflection(lemma, tag=tag)
        for lemma in lemminflect.getAllLemmas(word).get("VERB", ())
        for tag in ("VBN", "VBG")
    )


def _of_the_figure(asks: list[str], rest: str, figure: re.Match[str]) -> str:
    """ "How much"/"How many <things>" with the words between the verb and the figure:
    "reported record third-quarter revenue of $3.41bn" asks "How much record third-quarter
    revenue did Norvane report?"; "closed 6.9 percent higher" "How much higher did … close?"."""
    before = rest[: figure.start()].split()
    after = rest[figure.end() :].split()
    things: list[str] = []
    if not (figure.group("share") or re.match(r"(?:US)?[$€£]", figure.group("number"))):
        while after and _describes_a_thing(after[0]) and len(things) < 3:
            things.append(after.pop(0))  # "1,200 permanent positions"
        if not things or not _plural(things[-1]):
            return ""  # a count of no things: "3.2 on the scale"
        if things[0].lower() in _CURRENCIES:
            things = []  # "3 million euros": a sum, "How much"
    how = "How many" if things else "How much"
    if after and after[0] in _COMPARATIVES:
        how = f"{how} {after.pop(0)}"
    completing = after[:1] and after[0].lower() in _COMPLETING and not _is_a_day(after[1:2])
    if after and (after[0].lower() not in _FUNCTION_WORDS or completing):
        return ""  # "25 per cent fake", "put 300 staff on leave": what it is comes after it
    if figure.group("share") and after[:1] == ["of"]:  # "account for 82 per cent of growth"
        of = _up_to_a_break(after[1:])
        if not of or len(of) > 5 or _DATE.search(" ".join(of)):
            return ""
        return _asked("What share of", *of, *asks, *before)
    if figure.group("share") and before[-1:] == ["by"]:
        before = before[:-1]  # "fell by 21%": "How much did heart attacks fall?"
    if before and before[-1] == "of":  # "revenue of $3.41bn": the revenue is asked of
        kind = before[:-1]
        if not kind or things or any(word.lower() in STOPWORDS for word in kind):
            return ""  # "an investment of": "How much an investment" reads badly
        return _asked(how, *kind, *asks)
    if (
        len(before) > 5
        or before[-1:] == ["the"]
        or any(word.lower() in _NOT_BEFORE_A_FIGURE or re.search(r"\d", word) for word in before)
    ):  # "to between $12.8bn and", "approve the $18.6 million rebuild": inside a phrase
        return ""
    place = after if after and after[0] in {"in", "at"} and len(after) <= 4 else []
    if _DATE.search(" ".join(place)) or any(w.lower() in WEEKDAYS for w in place):
        place = []
    return _asked(how, *things, *asks, *before, *place)


# Money named after its amount: "3 million euros" is asked "How much", not "How many euros"
_CURRENCIES = frozenset("euros dollars pounds yen yuan francs rupees krona kronor".split())
# Words after a figure that complete what the verb does with it: "put 300 staff on leave",
# "set 40 homes alight"; a question leaving them out asks something else.
_COMPLETING = frozenset("on into onto off out up down under behind".split())
# The words a question can keep between its verb and the figure: "pay the contractor", "rise to"
_NOT_BEFORE_A_FIGURE = STOPWORDS - {"to", "in", "on", "at", "for", "the"}
_COMPARATIVES = frozenset("higher lower more less up down".split())
_PLURALS = frozenset("people children men women staff personnel police".split())


def _is_a_day(words: list[str]) -> bool:
    """ "Saturday", "March": "arrested 12 people on Saturday" is no "put … on leave"."""
    word = words[0].lower().rstrip(",.") if words else ""
    return word in WEEKDAYS or bool(re.fullmatch(CAPITAL_MONTH_PATTERN, words[0].rstrip(",.")))


def _describes_a_thing(word: str) -> bool:
    """A noun or an adjective, or a word the lexicon does not know ("e-bike", "VX-40"); not
    "rather", "initially", "of"."""
    if word.lower() in _FUNCTION_WORDS or not re.fullmatch(r"[\w'’-]+", word):
        return False
    kinds = word_kinds(word)
    return not kinds or bool({"NOUN", "ADJ", "PROPN"} & kinds)


def _plural(word: str) -> bool:
    word = word.lower()
    if word in _PLURALS:
        return True
    nouns = lemminflect.getAllLemmas(word).get("NOUN", ())
    return word.endswith("s") and (not nouns or word not in nouns)


def _subject(words: list[str], common: set[str] | frozenset[str]) -> str:
    """The sentence's subject as a question puts it, or "" if it is none: "The first day with
    fares, Sunday, March 22," is "the first day with fares"; "In March", "It", "The couple say
    they" and "Treasury analysis shows the changes" are none."""
    text = " ".join(words)
    if re.search(r",(?:\s|$)", text):  # a name or a date set off, closed before the verb
        if not text.endswith(","):
            return ""
        text = re.split(r",\s", text)[0].rstrip(",")
    # "Twice the teenage winger", "Judge Kramer today": the adverb is no part of what is asked of
    kept = [w for w in text.split() if not _an_adverb(w) or w.lower() in STOPWORDS]
    if not kept or len(kept) > 10 or re.search(r"[\"“”;:]", text):
        return ""
    first, *others = kept
    determiner_inside = any(
        word.lower() in _DETERMINERS and before.lower() not in _JOINS
        for before, word in zip(kept, others)
    )
    if (
        first.lower() in _OPENERS
        or (not others and first.lower() in _PRONOUNS)
        or {word.lower() for word in others} & _PRONOUNS
        or determiner_inside
        or re.search(r"\b[A-Z]{2,}\s+[A-Z]{2,}\b", text)  # a caption: "TRIBUTE TO PHILLIP HUGHES"
    ):  # fmt: skip
        return ""
    if first in {"The", "A", "An", "This", "These", "Its", "Their"}:
        first = first.lower()
    elif others and others[0][:1].isupper():  # "Judge Stephen Kramer", "Chief Moreau": a name
        pass
    elif first.lower() in common:
        first = first.lower()
    elif word_kinds(first):
        return ""  # "Revenue" or "Bale": a word or a name? the article does not say
    return " ".join([first, *others])


_DETERMINERS = frozenset("the a an this these those his her its their our my your".split())
# Words a determiner may follow inside a subject: "support for the project", "A and the B"
_JOINS = frozenset(
    "of for in at on with from to by about over under near and or per between among".split()
)


def _up_to_a_break(words: list[str]) -> list[str]:
    """The words of the clause: to a comma, a dash or a word that starts another ("and",
    "which"; not the "and" of "between $12.8bn and $13.0bn")."""
    kept: list[str] = []
    for at, word in enumerate(words):
        following = words[at + 1] if at + 1 < len(words) else ""
        if word in {"—", "–", "-"} or (word.lower() in _BREAKS and not _FIGURE.match(following)):
            break
        kept.append(word.rstrip(",;:"))
        if word[-1:] in {",", ";", ":"}:
            break
    return kept


def _is_a_figure(text: str, figure: re.Match[str]) -> bool:
    """An amount, a count or a share; not a year, a day of a month or the number of a name
    ("in 2029", "March 22", "Route 7", "a 14-year history")."""
    number = figure.group("number")
    qualified = figure.start() < figure.start("number")  # "about 400": a count
    if qualified or figure.group("share") or re.match(r"(?:US)?[$€£]", number):
        return True
    if YEAR.fullmatch(number) or text[figure.end() : figure.end() + 1] in {"-", "/"}:
        return False
    before = text[: figure.start("number")].split()[-1:]
    return not (before and before[0][:1].isupper() and not _FIGURE.fullmatch(before[0]))


def _verb_form(word: str, before: str) -> str:
    """ "aux", "past" or "present" when the word is a finite verb after the word before it,
    else "": "rose" after "Norvane" is the verb, "planned" after "the" describes a noun."""
    word = word.rstrip(",")
    if not word.isalpha() or not word.islower():
        return ""
    if word in _AUXILIARIES:
        return "aux"
    if word == "pictured":  # a photo's caption, no verb of the story
        return ""
    if before.lower() in STOPWORDS:  # "the planned line", "of recorded cases"
        return ""
    lemmas = lemminflect.getAllLemmas(word)
    verb = lemmas.get("VERB", ())
    if not verb:
        return ""
    if any(word == lemma in lemminflect.getInflection(lemma, tag="VBD") for lemma in verb):
        return ""  # "cost", "put", "cut": past or present, "did" or "do"? unknown
    if any(word in lemminflect.getInflection(lemma, tag="VBD") for lemma in verb):
        return "past"
    if set(lemmas) == {"VERB"} and any(
        word in lemminflect.getInflection(lemma, tag="VBZ") for lemma in verb
    ):  # "represents"; not "plans" or "costs", which are nouns as often
        return "present"
    return ""


@cache
def _lemma(word: str) -> str:
    return lemminflect.getLemma(word.rstrip(","), upos="VERB")[0]


def _asked(*parts: str) -> str:
    return re.sub(r"\s+", " ", " ".join(parts)).strip() + "?"
