//! Generated bank files of realistic size, for benchmarks.

use std::fmt::Write as _;
use std::path::Path;

use crate::bank::{self, Bank, Domain};

const SERVICES: [&str; 12] = [
    "EC2",
    "S3",
    "CloudFront",
    "Lambda",
    "DynamoDB",
    "Aurora",
    "EFS",
    "Kinesis Data Streams",
    "SQS",
    "Route 53",
    "Global Accelerator",
    "FSx for Lustre",
];

/// A sentence of roughly `len` characters, varied by `seed`.
fn text(seed: u64, len: usize) -> String {
    const WORDS: [&str; 16] = [
        "company",
        "workload",
        "latency",
        "throughput",
        "Region",
        "replica",
        "cache",
        "instance",
        "storage",
        "requests",
        "global",
        "users",
        "durable",
        "scales",
        "cost",
        "managed",
    ];
    let mut out = String::with_capacity(len + 16);
    let mut i = seed;
    while out.len() < len {
        i = super::mix(i);
        out.push_str(WORDS[(i % 16) as usize]);
        out.push(' ');
    }
    out.trim_end().to_owned()
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Writes `questions` questions into `files` files under `dir`, each question as long as a
/// typical one of the shipped bank (prompt ~600 characters, four choices, explanations).
pub fn write_bank(dir: &Path, questions: usize, files: usize) -> Result<u64, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let per_file = questions.div_ceil(files.max(1));
    let mut bytes = 0;
    for file in 0..files {
        let mut out = String::new();
        for n in (file * per_file)..((file + 1) * per_file).min(questions) {
            let seed = n as u64;
            let answer = (super::mix(seed) % 4) as usize;
            let domain = Domain::ALL[n % 4].key();
            let task = ["1.1", "2.1", "3.1", "4.1"][n % 4];
            let services = format!(
                "[{}, {}]",
                toml_string(SERVICES[n % 12]),
                toml_string(SERVICES[(n / 12) % 12])
            );
            let _ = write!(
                out,
                "[[question]]\nid = \"gen-{n:06}\"\ndomain = \"{domain}\"\ntask = \"{task}\"\nservices = {services}\n\
                 answer = [\"{}\"]\ndifficulty = \"medium\"\n\
                 references = [\"https://docs.aws.amazon.com/example/{n}.html\"]\n",
                (b'A' + answer as u8) as char
            );
            for lang in ["ko", "en"] {
                let choices: Vec<String> = (0..4)
                    .map(|c| toml_string(&text(seed * 10 + c, 120)))
                    .collect();
                let why: Vec<String> = (0..4)
                    .map(|c| {
                        if c == answer as u64 {
                            "\"\"".to_owned()
                        } else {
                            toml_string(&text(seed * 20 + c, 150))
                        }
                    })
                    .collect();
                let _ = write!(
                    out,
                    "\n[question.{lang}]\nprompt = {}\nchoices = [{}]\nexplanation = {}\nwhy_wrong = [{}]\n\n",
                    toml_string(&text(seed * 3, 600)),
                    choices.join(", "),
                    toml_string(&text(seed * 5, 500)),
                    why.join(", ")
                );
            }
        }
        let path = dir.join(format!("gen-{file:03}.toml"));
        bytes += out.len() as u64;
        std::fs::write(&path, out).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(bytes)
}

/// Questions per generated file: well under the loader's per-file size cap.
const QUESTIONS_PER_FILE: usize = 500;

/// A generated bank of `questions`, loaded through the real loader.
pub fn bank(dir: &Path, questions: usize) -> Result<Bank, String> {
    write_bank(
        dir,
        questions,
        questions.div_ceil(QUESTIONS_PER_FILE).max(1),
    )?;
    bank::load(&[dir.to_owned()]).map_err(|p| format!("generated bank is invalid: {}", p[0]))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_generated_bank_of_2000_questions_loads_within_the_file_size_cap() {
        let dir = tempfile::TempDir::new().unwrap();
        let bank = super::bank(dir.path(), 2_000).expect("the generated bank loads");
        assert_eq!(bank.len(), 2_000);
    }
}
