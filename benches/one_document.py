"""One document holding one article of N facts, from a generated corpus:
every document's entities (each once) and the first N facts of its
articles, renumbered. Measures what an ingest of one very large article
(all of it in one write: whole or absent) needs.

    cargo run --release --example generate_corpus -- 1000000 > corpus.jsonl
    python3 benches/one_document.py 1000000 corpus.jsonl > one.json
    /usr/bin/time -f "%e s %M KB" storygraph --store one-store ingest one.json
"""
import json
import sys


def main():
    n, corpus = int(sys.argv[1]), sys.argv[2]
    entities, facts = {}, []
    with open(corpus, encoding="utf-8") as lines:
        for line in lines:
            document = json.loads(line)
            for entity in document.get("entities", []):
                entities.setdefault(entity["id"], entity)
            for article in document["articles"]:
                for fact in article["facts"]:
                    facts.append(dict(fact, id=f"f{len(facts)}"))
                    if len(facts) == n:
                        break
                if len(facts) == n:
                    break
            if len(facts) == n:
                break
    article = {"id": "one-large-article", "title": "One article of many facts", "language": "ar",
               "published": "2024-01-14", "facts": facts}
    json.dump({"storygraph": 1, "entities": list(entities.values()), "articles": [article]},
              sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
