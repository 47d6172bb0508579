"""The peers' side of the ingest benchmark (benches/run.py):
    python benches/peer_load.py pyoxigraph FILE.nq STORE_DIR
        bulk-loads the N-Quads into a new on-disk pyoxigraph store;
    python benches/peer_load.py rdflib FILE.nq
        parses them into an in-memory rdflib Dataset.
Prints the number of quads loaded."""
import sys

peer, path = sys.argv[1], sys.argv[2]
if peer == "pyoxigraph":
    import pyoxigraph

    store = pyoxigraph.Store(sys.argv[3])
    store.bulk_load(path=path, format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    print(len(store))
elif peer == "rdflib":
    import rdflib

    dataset = rdflib.Dataset()
    dataset.parse(path, format="nquads")
    print(sum(len(g) for g in dataset.graphs()))
else:
    raise SystemExit(f"unknown peer {peer}")
