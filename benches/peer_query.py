"""pyoxigraph's side of the SPARQL benchmark (benches/run.py): runs one
query file on a storygraph store, read-only, over the union of its graphs
(as `storygraph query` does), with storygraph's predeclared prefixes, and
writes the results as TSV. `-` instead of a file runs `ASK {}` (start-up).
    python benches/peer_query.py STORE QUERY.rq"""
import sys

import pyoxigraph

PREFIXES = {
    "sg": "https://w3id.org/storygraph/ontology#",
    "ent": "https://w3id.org/storygraph/entity/",
    "art": "https://w3id.org/storygraph/article/",
    "stmt": "https://w3id.org/storygraph/statement/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "http://schema.org/",
}

store_dir, query_file = sys.argv[1], sys.argv[2]
query = "ASK {}" if query_file == "-" else open(query_file).read()
store = pyoxigraph.Store.read_only(store_dir)
results = store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES)
if isinstance(results, bool):
    print(str(results).lower())
else:
    sys.stdout.buffer.write(results.serialize(format=pyoxigraph.QueryResultsFormat.TSV))
