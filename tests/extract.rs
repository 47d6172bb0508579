//! From article text to facts: the evidence guard at ingest, `prompt`, and
//! `extract` against a loopback chat server replaying recorded answers of
//! real model servers (llama.cpp, Ollama) for an Arabic article.

use crate::util::chat::ChatServer;
use crate::util::{root, TestStore};

const TEXT: &str = "data/texts/baku-gaza-mandate.ar.txt";

fn extract_args<'a>(server: &'a ChatServer, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "extract",
        TEXT,
        "--llm",
        &server.url,
        "--model",
        "qwen2.5-7b-instruct",
        "--language",
        "ar",
        "--published",
        "2025-10-21",
        "--publisher",
        "sample-news-desk",
        "--id",
        "baku-gaza-mandate",
    ];
    args.extend_from_slice(extra);
    args
}

fn count(store: &TestStore, query: &str) -> usize {
    store
        .tsv(query)
        .lines()
        .nth(1)
        .unwrap_or("0")
        .trim()
        .parse()
        .unwrap()
}

const FACTS_OF_THE_ARTICLE: &str = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/storygraph/article/baku-gaza-mandate> { ?s a sg:Statement } }";

#[test]
fn a_clean_answer_is_checked_and_ingested_with_the_article_text() {
    let store = TestStore::with_sample();
    let server = ChatServer::replaying(&["clean.response.json"]);
    let mut args = extract_args(&server, &["--ingest", "--api-key-env", "TEST_LLM_KEY"]);
    args.push("--repairs=1");
    let out = crate::util::run_binary_with_env(
        &store.store_dir(),
        &args,
        &[("TEST_LLM_KEY", "sk-test-secret")],
    )
    .ok();
    assert!(
        out.stderr
            .contains("round 1 of at most 2: asking qwen2.5-7b-instruct"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("ingested 1 article, 6 facts"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("sk-test-secret") && !out.stdout.contains("sk-test-secret"));

    let requests = server.received();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.path, "/v1/chat/completions");
    assert_eq!(
        request.header("authorization"),
        Some("Bearer sk-test-secret")
    );
    let body = &request.body;
    assert_eq!(body["model"], "qwen2.5-7b-instruct");
    assert_eq!(body["response_format"]["type"], "json_schema");
    assert_eq!(
        body["response_format"]["json_schema"]["schema"]["$id"],
        "https://w3id.org/storygraph/schema/facts-v1.json"
    );
    let prompt = body["messages"][0]["content"].as_str().unwrap();
    let text = std::fs::read_to_string(root().join(TEXT)).unwrap();
    assert!(
        prompt.contains(text.trim_end()),
        "the article is in the prompt"
    );
    assert!(prompt.contains("- published: `2025-10-21`"));
    // Entities of the store the text names, to reuse: Aliyev by his
    // Arabic name, Azerbaijan behind the Arabic prefix of أذربيجان.
    assert!(
        prompt.contains("`aliyev` (sg:Person), named here \"إلهام علييف\""),
        "{prompt}"
    );
    assert!(prompt.contains("`indonesia` (sg:Country)"), "{prompt}");

    assert_eq!(count(&store, FACTS_OF_THE_ARTICLE), 6);
    let body = store.tsv("SELECT ?t WHERE { GRAPH ?g { ?a schema:articleBody ?t } }");
    assert!(body.contains("باكو تربط إرسال قواتها"), "{body}");
    // The denial is in the graph beside the claim it denies.
    let denied = store.tsv("SELECT ?e WHERE { GRAPH <https://w3id.org/storygraph/article/baku-gaza-mandate> { ?s a sg:Statement ; sg:negated true ; sg:evidence ?e } }");
    assert!(denied.contains("ونفت وزارة الدفاع"), "{denied}");
}

#[test]
fn a_bad_predicate_and_an_invented_quote_go_back_and_come_back_repaired() {
    let store = TestStore::with_sample();
    let draft = store.file("draft.json", "");
    let server =
        ChatServer::replaying(&["repair-first.response.json", "repair-second.response.json"]);
    let out = store.run(&extract_args(&server, &["-o", &draft])).ok();
    assert!(
        out.stderr.contains("round 1: 2 problems found"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("round 2: the answer passes every check"),
        "{}",
        out.stderr
    );

    let requests = server.received();
    assert_eq!(requests.len(), 2);
    let messages = requests[1].body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[1]["role"], "assistant");
    let first: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/recorded/repair-first.response.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        messages[1]["content"],
        first["choices"][0]["message"]["content"]
    );
    let feedback = messages[2]["content"].as_str().unwrap();
    assert!(
        feedback.contains("articles[0].facts[0].predicate"),
        "{feedback}"
    );
    assert!(
        feedback.contains("did you mean \"mayContributeTroopsTo\"?"),
        "{feedback}"
    );
    assert!(
        feedback
            .contains("articles[0].facts[5].evidence: the evidence is not in the article's text"),
        "{feedback}"
    );
    assert!(
        feedback.contains("the nearest passage of the text: \"وكانت إندونيسيا قد أعلنت استعدادها"),
        "{feedback}"
    );

    // The draft is the repaired answer with the text: ingest takes it as is.
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&draft).unwrap()).unwrap();
    assert!(written.get("rejected").is_none());
    assert!(written["articles"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("باكو تربط"));
    let out = store.ingest(&[draft]).ok();
    assert!(
        out.stderr.contains("ingested 1 article, 6 facts"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_quote_never_grounded_is_set_apart_and_never_ingested() {
    let store = TestStore::with_sample();
    let draft = store.file("draft.json", "");
    let answers = ["ungrounded.response.json"; 3];
    let server = ChatServer::replaying(&answers);
    let out = store
        .run(&extract_args(&server, &["-o", &draft, "--ingest"]))
        .code(1);
    assert_eq!(
        server.received().len(),
        3,
        "the first round and two repairs"
    );
    assert!(
        out.stderr
            .contains("1 fact or entity set apart under \"rejected\""),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("not ingested: the draft needs review"),
        "{}",
        out.stderr
    );
    assert_eq!(
        count(&store, FACTS_OF_THE_ARTICLE),
        0,
        "nothing was ingested"
    );

    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&draft).unwrap()).unwrap();
    let rejected = &written["rejected"][0];
    assert_eq!(rejected["path"], "articles[0].facts[1]");
    assert_eq!(
        rejected["item"]["evidence"],
        "علييف بحث مع ويتكوف هاتفيا مشاركة أذربيجان في قوة غزة"
    );
    assert!(rejected["problems"][0]
        .as_str()
        .unwrap()
        .contains("ناقش المسألة مع المبعوث الأمريكي"));
    // Ingesting the draft as it is takes the grounded facts, says what it left.
    let out = store.ingest(&[draft]).ok();
    assert!(
        out.stderr.contains("ingested 1 article, 5 facts"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("rejected: 1 of this draft's facts and entities failed a check"),
        "{}",
        out.stderr
    );
    assert_eq!(count(&store, FACTS_OF_THE_ARTICLE), 5);
}

#[test]
fn a_server_error_or_no_server_is_a_failure_naming_the_endpoint() {
    let store = TestStore::new();
    let server = ChatServer::start(vec![(
        503,
        "{\"error\": {\"message\": \"Loading model\", \"type\": \"unavailable_error\"}}".into(),
    )]);
    let out = store.run(&extract_args(&server, &[])).code(1);
    assert!(
        out.stderr.contains(&format!("the model at {}/chat/completions answered HTTP 503: {{\"error\": {{\"message\": \"Loading model\"", server.url)),
        "{}",
        out.stderr
    );
    let url = server.url.clone();
    drop(server);
    let out = store
        .run(&["extract", TEXT, "--llm", &url, "--model", "m"])
        .code(1);
    assert!(
        out.stderr.contains("cannot reach the model at"),
        "{}",
        out.stderr
    );
    let cut = ChatServer::start(vec![(
        200,
        r#"{"choices":[{"index":0,"message":{"role":"assistant","content":"{\"storygraph\": 1, \"enti"},"finish_reason":"length"}]}"#.into(),
    )]);
    let out = store.run(&extract_args(&cut, &[])).code(1);
    assert!(
        out.stderr.contains("cut off at its token limit"),
        "{}",
        out.stderr
    );
    for (option, value, message) in [
        (
            "--api-key-env",
            "NO_SUCH_VAR_SG",
            "NO_SUCH_VAR_SG is not set",
        ),
        (
            "--published",
            "yesterday",
            "--published \"yesterday\" is not a date",
        ),
        (
            "--language",
            "Arabic",
            "--language \"Arabic\" is not a BCP 47 tag",
        ),
        ("--id", "Baku Story", "--id \"Baku Story\" is not a slug"),
    ] {
        let args = [
            "extract", TEXT, "--llm", &url, "--model", "m", option, value,
        ];
        let out = store.run(&args).code(2);
        assert!(out.stderr.contains(message), "{}", out.stderr);
    }
}

#[test]
fn ingest_checks_every_quote_against_the_text_it_is_given() {
    let store = TestStore::with_sample();
    let draft =
        std::fs::read_to_string(root().join("data/texts/baku-gaza-mandate.draft.json")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&draft).unwrap();
    doc["articles"][0].as_object_mut().unwrap().remove("text");
    // A quote with other quote marks, tashkeel and an ellipsis is the text's.
    doc["articles"][0]["facts"][3]["evidence"] =
        "ونفت وزارةُ الدفاع الأذربيجانية ... ووصفت تلك التقارير بأنها \"سابقة لأوانها\"".into();
    doc["articles"][0]["facts"][4]["evidence"] =
        "الولايات المتحدة ستقدم مشروع القرار الأسبوع المقبل".into();
    let file = store.file("facts.json", &doc.to_string());
    let text = root().join(TEXT).display().to_string();
    let out = store.run(&["ingest", &file, "--text", &text]).code(2);
    assert!(
        out.stderr
            .contains("articles[0].facts[4].evidence: the evidence is not in the article's text"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("the nearest passage of the text: \"ومن المتوقع أن تعرض الولايات المتحدة"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("facts[3]"), "{}", out.stderr);
    assert!(out.stderr.contains("nothing was written"), "{}", out.stderr);
    assert_eq!(count(&store, FACTS_OF_THE_ARTICLE), 0);

    // --text goes with one document of one article.
    let out = store
        .run(&["ingest", &file, &file, "--text", &text])
        .code(2);
    assert!(
        out.stderr.contains("goes with exactly one .json document"),
        "{}",
        out.stderr
    );
    let with_text = root()
        .join("data/texts/baku-gaza-mandate.draft.json")
        .display()
        .to_string();
    let out = store.run(&["ingest", &with_text, "--text", &text]).code(2);
    assert!(
        out.stderr.contains("has a \"text\" already"),
        "{}",
        out.stderr
    );
    store.ingest(&[with_text]).ok();
    assert_eq!(count(&store, FACTS_OF_THE_ARTICLE), 6);
}

#[test]
fn the_prompt_names_known_entities_only_when_a_store_has_them() {
    let empty = TestStore::new();
    let out = empty.run(&["prompt", TEXT, "--language", "ar"]).ok();
    assert!(out.stdout.contains("None: declare every entity you use."));
    assert!(
        out.stdout.contains("- id: `baku-gaza-mandate.ar`"),
        "the file name as id"
    );
    assert!(!empty.store_dir().exists(), "prompt creates no store");
    let store = TestStore::with_sample();
    let out = store.run(&["prompt", TEXT, "--id", "baku-1"]).ok();
    for id in [
        "aliyev",
        "azerbaijan",
        "witkoff",
        "indonesia",
        "israeli-media",
    ] {
        assert!(
            out.stdout.contains(&format!("- `{id}` (")),
            "{id} not listed:\n{}",
            out.stdout
        );
    }
    assert!(
        !out.stdout.contains("- `putin` ("),
        "Putin is not named in the text"
    );
}
