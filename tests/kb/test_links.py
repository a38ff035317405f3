"""Articles that name each other (kb.links) and the retriever following those names."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.api import KnowledgeBase
from kb.links import LinkGraph, capitalised_names, follow_up, title_keys
from kb.retrieve import Retriever
from kb.settings import RetrieveSettings

ARTICLES = {
    "doctor-strange.txt": "Doctor Strange (2016 film)\n\nDoctor Strange is a 2016 superhero film "
    "directed by Scott Derrickson, about a surgeon who learns the mystic arts after an accident.",
    "derrickson.txt": "Scott Derrickson\n\nScott Derrickson (born July 16, 1966) is a filmmaker "
    "from Denver, Colorado, best known for horror pictures such as Sinister.",
    "ed-wood.txt": "Ed Wood\n\nEdward Davis Wood Jr. was a filmmaker, actor and writer from "
    "Poughkeepsie, New York, often called the worst director of all time.",
    "shed.txt": "Garden sheds\n\nAn ed wood shed and a scott derrickson bench are not names here: "
    "lower-case words never link. Sheds keep tools dry through the winter.",
}
# Look-alikes of the bridge article for plain retrieval: about superhero films and their directors,
# sharing the question's words, so that without following names the bridge ranks below them.
LOOKALIKES = [
    f"Superhero film notes {n}\n\nThe director of the superhero film was born in the country "
    f"where the studio {n} filmed it; many superhero film directors come from that country."
    for n in range(8)
]


@pytest.fixture
def linked(kb: KnowledgeBase, tmp_path: Path) -> tuple[KnowledgeBase, dict[str, str]]:
    files = [tmp_path / name for name in ARTICLES]
    for path in files:
        path.write_text(ARTICLES[path.name], encoding="utf-8")
    for n, text in enumerate(LOOKALIKES):
        files.append(tmp_path / f"lookalike-{n}.txt")
        files[-1].write_text(text, encoding="utf-8")
    report = kb.ingest(files)
    ids = {Path(r.path).stem: r.article_id for r in report.results}
    assert all(ids.values()) and len(set(ids.values())) == len(files)
    return kb, ids


def test_title_keys_drop_qualifiers_articles_and_accents() -> None:
    assert title_keys("Doctor Strange (2016 film)") == {"doctor strange"}
    assert title_keys("West Chicago, Illinois") == {"west chicago illinois", "west chicago"}
    assert title_keys("The Rank Organisation") == {"rank organisation"}
    assert title_keys("Aschenbrödel") == {"aschenbrodel"}
    assert title_keys("Arthur's Magazine") == {"arthur s magazine"}
    assert title_keys("(1945 film)") == set() and title_keys("The Who") == set()  # stopwords
    assert title_keys("Council approves a new budget for the bridge after a long night") == set()


def test_a_comma_in_a_title_parts_a_qualifier_only() -> None:
    """ "Hello, I'm Your Aunt!" was also the key "hello", "The Good, the Bad and the Ugly" "good":
    every "Hello" and "Good" in the corpus named them."""
    assert title_keys("Hello, I'm Your Aunt!") == {"hello i m your aunt"}
    assert title_keys("The Good, the Bad and the Ugly") == {"good the bad and the ugly"}
    assert title_keys("New York, Susquehanna & Western Railroad") == {
        "new york susquehanna western railroad"
    }
    assert "albert" in title_keys("Albert, King of Sweden")
    assert "ellis" in title_keys("Ellis, Kansas")
    assert "springfield" in title_keys("Springfield, Illinois, 1908")


def test_the_longest_title_wins_and_a_one_word_title_is_no_part_of_a_common_name() -> None:
    """ "Ellis Island" named the town Ellis, Kansas, "New York City" New York too."""
    graph = LinkGraph(
        titled={
            "ellis": {"ellis-kansas"},
            "ellis island": {"island"},
            "new york": {"state"},
            "new york city": {"city"},
        },
        first_words={"ellis", "new"},
        common_pairs=frozenset({"ellis island", "ellis county"}),
    )
    assert graph.named_in("Ships docked at Ellis Island in New York City.") == {"island", "city"}
    assert graph.named_in("He was born in Ellis County.") == set()  # a common name of two words
    assert graph.named_in("He was born in Ellis in 1901.") == {"ellis-kansas"}
    assert graph.named_in("Sulli Ellis sang.") == {
        "ellis-kansas"
    }  # "Sulli Ellis" is no common name


def test_capitalised_names() -> None:
    text = "In Zimbabwe, the Bank of England met Victoria Falls\nHe said The Rank Organisation."
    assert [words for _, words in capitalised_names(text)] == [
        ["Zimbabwe"],
        ["Bank", "of", "England"],
        ["Victoria", "Falls"],  # not "Victoria Falls He"
        ["Rank", "Organisation"],
    ]
    assert [words for _, words in capitalised_names("In New Jersey. New rules.")] == [
        ["New", "Jersey"]  # not "Jersey"
    ]


def test_names_in_a_question_and_in_an_article(
    linked: tuple[KnowledgeBase, dict[str, str]],
) -> None:
    kb, ids = linked
    question = "Were Scott Derrickson and Ed Wood of the same nationality?"
    assert kb.links.graph().named_in(question) == {ids["derrickson"], ids["ed-wood"]}
    assert kb.links.graph().named_in("Who directed Doctor Strange?") == {ids["doctor-strange"]}
    assert kb.links.graph().named_by(ids["doctor-strange"]) == {ids["derrickson"]}
    assert kb.links.graph().named_by(ids["shed"]) == set()  # "An ed wood shed": lower case
    assert kb.links.graph().named_by(ids["derrickson"]) == set()  # never itself
    assert kb.links.graph().named_in("the film Aschenbrodel by scott derrickson") == set()


def test_articles_sharing_a_rare_name(linked: tuple[KnowledgeBase, dict[str, str]]) -> None:
    kb, ids = linked
    graph = kb.links.graph()
    # "Denver" and "Colorado" are only in Derrickson's article; "Sinister" too.
    assert graph.sharing_names(ids["derrickson"]) == {ids["doctor-strange"]}  # "Scott Derrickson"
    assert graph.sharing_names(ids["shed"]) == set()  # its names are in lower case
    # Two-word names in two articles or more; lower case ("a scott derrickson bench") is none
    assert "scott derrickson" in graph.common_pairs
    assert "doctor strange" not in graph.common_pairs  # one article only


def test_links_follow_the_store(linked: tuple[KnowledgeBase, dict[str, str]]) -> None:
    kb, ids = linked
    assert kb.links.graph().named_in("Scott Derrickson") == {ids["derrickson"]}
    kb.delete(ids["derrickson"])
    assert kb.links.graph().named_in("Scott Derrickson") == set()
    assert kb.links.graph().named_by(ids["doctor-strange"]) == set()


def test_the_retriever_follows_a_name_to_the_second_hop(
    linked: tuple[KnowledgeBase, dict[str, str]],
) -> None:
    kb, ids = linked
    question = "Where was the director of the superhero film Doctor Strange born?"

    def rank_of_bridge(hops: int) -> int:
        settings = RetrieveSettings(max_chunks_per_article=1, hops=hops)
        retriever = Retriever(kb.store, kb.embedder, kb.lexical, kb.links, settings)
        ranked = [hit.article_id for hit in retriever.search(question, k=12)]
        return ranked.index(ids["derrickson"]) + 1

    assert rank_of_bridge(hops=0) > 2  # plain retrieval misses the second hop
    assert rank_of_bridge(hops=1) <= 2  # right below the film that names its director


def test_a_bare_number_or_an_initial_names_nothing_and_links_nothing(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    texts = {
        "film": "1912 (film)\n\n1912 is a silent film about the sinking of a liner.",
        "games": "1912 Summer Olympics\n\nThe 1912 Summer Olympics were held in Stockholm.",
        "ship": "Titanic\n\nThe liner sank in April 1912 on her first voyage to New York. "
        "Captain E. J. Smith went down with her.",
        "poet": "Ada Brandt\n\nAda Brandt was born in 1912 and wrote about the sea to J. Brandt.",
    }
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    report = kb.ingest([tmp_path / f"{name}.txt" for name in texts])
    ids = {Path(r.path).stem: r.article_id for r in report.results}
    graph = kb.links.graph()
    assert graph.named_in("What happened in 1912?") == set()
    assert graph.named_in("Where were the 1912 Summer Olympics held?") == {ids["games"]}
    assert graph.named_by(ids["ship"]) == set()  # "April 1912" is a date, not the film
    assert graph.sharing_names(ids["poet"]) == set()  # nor do a year or an initial ("J.")


def test_a_follow_up_search_asks_the_rest_of_the_question_with_the_bridge_name() -> None:
    title = "Han Vodka"
    text = (
        "Han Vodka\n\nHan Vodka is a vodka from Korea made from barley and rice. It is imported "
        "by Progressive Beverages of Fullerton, California since 6 March 2009."
    )
    question = "When were the Olympics last held in the country that released Han Vodka?"
    # The sentence closest to the question names the bridge; the question's words the article
    # already holds ("vodka", "han") are dropped, and so are the title line and the date.
    assert follow_up(question, title, text).query == "olympics last held country released Korea"
    which_firm = "Which firm imported it to California?"  # the second sentence is closest
    assert follow_up(which_firm, title, text).query == "firm Progressive Beverages of Fullerton"
    assert (
        follow_up("What is Han Vodka made from?", title, "Han Vodka\n\nHan Vodka is clear.").query
        == ""
    )


def test_a_follow_up_needs_a_sentence_on_the_question_and_a_name_that_is_no_date() -> None:
    dateline = "Millbrook, Wednesday (Regional Wire) - The council met late into the night."
    # No sentence shares a word with the question: the dateline is no answer to build on.
    assert follow_up("Who resigned and why?", "Council", dateline).query == ""
    told = "On Wednesday Theresa May told the council in March that the budget would pass."
    assert (
        follow_up("Who told the council about the budget?", "Budget", told).query == "Theresa May"
    )


OLYMPIC_LOOKALIKES = [
    # "Olympics" in each: too common a name to lead from the question to South Korea's article
    f"{city} Winter Games\n\nThe Olympics were held in {city} in {year}."
    for city, year in [
        ("Nagano", 1998), ("Turin", 2006), ("Sochi", 2014), ("Oslo", 1952), ("Calgary", 1988),
        ("Lillehammer", 1994), ("Sarajevo", 1984), ("Innsbruck", 1976),
    ]
]  # fmt: skip


def test_the_retriever_searches_again_through_a_name_too_common_to_link(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """ "Korea" is in every article here, so it links nothing; the vodka's sentence that answers
    the first hop still leads to the article answering the second."""
    texts = {
        "vodka": "Han Vodka\n\nHan Vodka is an 80 proof vodka from Korea made from barley.",
        "games": "South Korea at the Olympics\n\nSouth Korea hosted the 1988 Summer Olympics "
        "in Seoul and the 2018 Winter Olympics in Pyeongchang.",
    } | {f"lookalike-{n}": text for n, text in enumerate(OLYMPIC_LOOKALIKES)}
    for dish in ("Kimchi", "Bibimbap", "Bulgogi", "Japchae", "Tteokbokki", "Samgyeopsal"):
        texts[dish] = f"{dish}\n\n{dish} is a dish from Korea, served with rice."
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    report = kb.ingest([tmp_path / f"{name}.txt" for name in texts])
    ids = {Path(r.path).stem: r.article_id for r in report.results}
    assert kb.links.graph().sharing_names(ids["vodka"]) == set()  # "Korea" is common
    question = "When were the Olympics last held in the country that released Han Vodka?"

    def rank_of_games(follow_ups: bool) -> int:
        settings = RetrieveSettings(max_chunks_per_article=1, follow_ups=follow_ups)
        retriever = Retriever(kb.store, kb.embedder, kb.lexical, kb.links, settings)
        ranked = [hit.article_id for hit in retriever.search(question, k=10)]
        return ranked.index(ids["games"]) + 1 if ids["games"] in ranked else 99

    assert rank_of_games(follow_ups=False) > 3
    assert rank_of_games(follow_ups=True) <= 3


def test_a_follow_up_names_the_titles_it_may_lead_to() -> None:
    """Not the passage's own title, nor a name made of the question's words ("Dutch")."""
    text = "Africa Cup\n\nThe Africa Cup was won by a Dutch coach's side, Korea's rivals."
    question = "Which Dutch coach won the Africa Cup and where were the Olympics held?"
    found = follow_up(question, "Africa Cup", text)
    assert "Korea" in found.query and found.titles == ["Korea"]


def test_titles_holding_a_name_and_articles_mentioning_a_name_no_title_has() -> None:
    graph = LinkGraph(
        titled={"south korea at the olympics": {"olympics"}, "indianola iowa": {"town"}},
        first_words={"south", "indianola"},
        titles={
            "olympics": ("south", "korea", "at", "the", "olympics"),
            "town": ("indianola", "iowa"),
        },
        title_word={
            "south": {"olympics"},
            "korea": {"olympics"},
            "at": {"olympics"},
            "the": {"olympics"},
            "olympics": {"olympics"},
            "indianola": {"town"},
            "iowa": {"town"},
        },
        named={"label": set(), "song": set(), "olympics": set(), "town": set()},
        mentioned_by={"corey taylor": {"label", "song"}, "besides": {"song"}},
    )
    assert graph.titled_with("Korea") == {"olympics"}
    assert graph.titled_with("Korea Olympics") == set()  # its words in a row
    assert graph.titled_with("Indianola, Iowa") == {"town"}
    # "Corey Taylor" titles no article: the two mentioning him lead on from the question
    assert graph.mentioning("Which region is Corey Taylor's city of birth in?") == {"label", "song"}
    assert graph.mentioning("Besides Indianola Iowa, what?") == set()  # a title; a first word
