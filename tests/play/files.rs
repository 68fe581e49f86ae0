//! Files on replies in the terminal: the readiness chart and `/export` are written to disk
//! (next to the database, or in `--out`) and their paths printed.

use super::*;

#[test]
fn readiness_writes_the_chart_next_to_the_database_and_prints_its_path() {
    let session = Session::new();
    let out = session.play("2026-11-24T08:00:00+09:00", &["/readiness"]);
    let stats = of_kind(&out, "stats");
    assert_eq!(stats.len(), 1, "{out:#?}");
    let files = stats[0]["files"].as_array().expect("files");
    assert_eq!(files.len(), 1, "{files:?}");
    let path = PathBuf::from(files[0].as_str().unwrap());
    assert_eq!(path, session.dir.path().join("me-readiness.png"));
    let bytes = std::fs::read(&path).expect("the chart is written");
    let info = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG")
        .info()
        .clone();
    assert_eq!(
        (info.width, info.height),
        (quizbot::quiz::chart::WIDTH, quizbot::quiz::chart::HEIGHT)
    );

    // As text, the path is printed under the card.
    let run = session.run(&["play"], b"/readiness\n");
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(text.contains(&format!("📎 {}", path.display())), "{text}");
}

#[test]
fn export_writes_a_csv_and_an_anki_file_to_the_out_folder() {
    let session = Session::new();
    let folder = session.dir.path().join("exports");
    let practice = session.play("2026-11-24T08:00:00+09:00", &["/practice task:3.1"]);
    let (_, wrong) = right_and_wrong(practice[0]["question_id"].as_str().unwrap());
    let script = format!("/answer {wrong}\n/export\n");
    let run = session.run(
        &["play", "--json", "--out", folder.to_str().unwrap()],
        script.as_bytes(),
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = messages(&run);
    let export = out.last().expect("the export");
    let files: Vec<PathBuf> = export["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|p| PathBuf::from(p.as_str().unwrap()))
        .collect();
    assert_eq!(
        files,
        [
            folder.join("me-quizbot-misses.csv"),
            folder.join("me-quizbot-misses-anki.txt")
        ]
    );
    let csv = std::fs::read_to_string(&files[0]).unwrap();
    assert!(csv.starts_with("question_id,task,"), "{csv}");
    assert!(csv.contains("t-cloudfront-static,3.1,miss,"), "{csv}");
    let anki = std::fs::read_to_string(&files[1]).unwrap();
    assert!(anki.starts_with("#separator:tab\n#html:false\n"), "{anki}");

    // Nothing to export: a message, and no file.
    let empty = session.play("2026-11-24T08:00:00+09:00", &[":as bo", "/export"]);
    let last = empty.last().unwrap();
    assert!(last.get("files").is_none(), "{last}");
    assert!(
        last["text"]
            .as_str()
            .unwrap()
            .contains("Nothing to export yet")
    );
}
