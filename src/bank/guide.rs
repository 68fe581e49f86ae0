//! The exam guide's structure: the 14 task statements (1.1 … 4.4), their domains and titles in
//! both languages, and the guide items ("knowledge of" `K`, "skills in" `S`) each one lists.
//! `TaskStatement` and `GuideItem` can only be built by parsing against this table, so a
//! question that names one names a real one.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Domain, Lang};

/// One task statement of the guide, as the guide numbers and titles it.
struct Info {
    code: &'static str,
    domain: Domain,
    en: &'static str,
    ko: &'static str,
    /// How many "knowledge of" and "skills in" items the guide lists.
    knowledge: u8,
    skills: u8,
}

const TASKS: [Info; 14] = [
    Info {
        code: "1.1",
        domain: Domain::Secure,
        en: "Design secure access to AWS resources",
        ko: "AWS 리소스에 대한 보안 액세스 설계",
        knowledge: 5,
        skills: 6,
    },
    Info {
        code: "1.2",
        domain: Domain::Secure,
        en: "Design secure workloads and applications",
        ko: "안전한 워크로드 및 애플리케이션 설계",
        knowledge: 6,
        skills: 4,
    },
    Info {
        code: "1.3",
        domain: Domain::Secure,
        en: "Determine appropriate data security controls",
        ko: "적합한 데이터 보안 제어 결정",
        knowledge: 4,
        skills: 7,
    },
    Info {
        code: "2.1",
        domain: Domain::Resilient,
        en: "Design scalable and loosely coupled architectures",
        ko: "확장 가능하고 느슨하게 결합된 아키텍처 설계",
        knowledge: 16,
        skills: 7,
    },
    Info {
        code: "2.2",
        domain: Domain::Resilient,
        en: "Design highly available and/or fault-tolerant architectures",
        ko: "고가용성 및/또는 내결함성 아키텍처 설계",
        knowledge: 12,
        skills: 8,
    },
    Info {
        code: "3.1",
        domain: Domain::HighPerforming,
        en: "Determine high-performing and/or scalable storage solutions",
        ko: "고성능 및/또는 확장 가능한 스토리지 솔루션 결정",
        knowledge: 3,
        skills: 2,
    },
    Info {
        code: "3.2",
        domain: Domain::HighPerforming,
        en: "Design high-performing and elastic compute solutions",
        ko: "고성능의 탄력적인 컴퓨팅 솔루션 설계",
        knowledge: 6,
        skills: 4,
    },
    Info {
        code: "3.3",
        domain: Domain::HighPerforming,
        en: "Determine high-performing database solutions",
        ko: "고성능 데이터베이스 솔루션 결정",
        knowledge: 8,
        skills: 5,
    },
    Info {
        code: "3.4",
        domain: Domain::HighPerforming,
        en: "Determine high-performing and/or scalable network architectures",
        ko: "고성능 및/또는 확장 가능한 네트워크 아키텍처 결정",
        knowledge: 4,
        skills: 4,
    },
    Info {
        code: "3.5",
        domain: Domain::HighPerforming,
        en: "Determine high-performing data ingestion and transformation solutions",
        ko: "고성능 데이터 수집 및 변환 솔루션 결정",
        knowledge: 7,
        skills: 7,
    },
    Info {
        code: "4.1",
        domain: Domain::CostOptimized,
        en: "Design cost-optimized storage solutions",
        ko: "비용에 최적화된 스토리지 솔루션 설계",
        knowledge: 11,
        skills: 10,
    },
    Info {
        code: "4.2",
        domain: Domain::CostOptimized,
        en: "Design cost-optimized compute solutions",
        ko: "비용에 최적화된 컴퓨팅 솔루션 설계",
        knowledge: 9,
        skills: 6,
    },
    Info {
        code: "4.3",
        domain: Domain::CostOptimized,
        en: "Design cost-optimized database solutions",
        ko: "비용에 최적화된 데이터베이스 솔루션 설계",
        knowledge: 9,
        skills: 5,
    },
    Info {
        code: "4.4",
        domain: Domain::CostOptimized,
        en: "Design cost-optimized network architectures",
        ko: "비용에 최적화된 네트워크 아키텍처 설계",
        knowledge: 7,
        skills: 7,
    },
];

/// A domain's share of the exam's scored questions, in percent (30, 26, 24, 20).
pub fn exam_weight(domain: Domain) -> u32 {
    match domain {
        Domain::Secure => 30,
        Domain::Resilient => 26,
        Domain::HighPerforming => 24,
        Domain::CostOptimized => 20,
    }
}

/// A task statement of the exam guide, such as `3.2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TaskStatement(u8);

impl TaskStatement {
    /// All 14, in the guide's order.
    pub fn all() -> impl Iterator<Item = TaskStatement> {
        (0..TASKS.len() as u8).map(TaskStatement)
    }

    /// `3.2` (also ` 3.2 `); anything else is an error that says what a task looks like.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        TASKS
            .iter()
            .position(|t| t.code == text)
            .map(|i| TaskStatement(i as u8))
            .ok_or_else(|| {
                format!("`{text}` is not a task statement of the exam guide (1.1 to 1.3, 2.1 to 2.2, 3.1 to 3.5, 4.1 to 4.4)")
            })
    }

    fn info(self) -> &'static Info {
        &TASKS[usize::from(self.0)]
    }

    pub fn code(self) -> &'static str {
        self.info().code
    }

    pub fn domain(self) -> Domain {
        self.info().domain
    }

    pub fn title(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ko => self.info().ko,
            Lang::En => self.info().en,
        }
    }

    /// Every guide item this task lists: its K items, then its S items.
    pub fn items(self) -> impl Iterator<Item = GuideItem> {
        let info = self.info();
        let knowledge = (1..=info.knowledge).map(move |n| GuideItem {
            task: self,
            kind: ItemKind::Knowledge,
            number: n,
        });
        let skills = (1..=info.skills).map(move |n| GuideItem {
            task: self,
            kind: ItemKind::Skill,
            number: n,
        });
        knowledge.chain(skills)
    }
}

impl fmt::Display for TaskStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for TaskStatement {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TaskStatement> for String {
    fn from(value: TaskStatement) -> Self {
        value.code().to_owned()
    }
}

/// Whether a guide item is "knowledge of" or "skills in".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    Knowledge,
    Skill,
}

/// One item of the guide, such as `3.2-K4` (the fourth "knowledge of" item of task 3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GuideItem {
    task: TaskStatement,
    kind: ItemKind,
    number: u8,
}

impl GuideItem {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let malformed = || format!("`{text}` is not a guide item code such as 3.2-K4 or 1.1-S2");
        let (task, item) = text.split_once('-').ok_or_else(malformed)?;
        let task = TaskStatement::parse(task).map_err(|_| malformed())?;
        let (kind, number) = match item.split_at_checked(1) {
            Some(("K", n)) => (ItemKind::Knowledge, n),
            Some(("S", n)) => (ItemKind::Skill, n),
            _ => return Err(malformed()),
        };
        let number: u8 = number.parse().map_err(|_| malformed())?;
        let parsed = GuideItem { task, kind, number };
        if task.items().any(|i| i == parsed) {
            Ok(parsed)
        } else {
            let info = task.info();
            Err(format!(
                "`{text}` is not in the guide: task {task} lists K1 to K{} and S1 to S{}",
                info.knowledge, info.skills
            ))
        }
    }

    pub fn task(self) -> TaskStatement {
        self.task
    }
}

impl fmt::Display for GuideItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            ItemKind::Knowledge => 'K',
            ItemKind::Skill => 'S',
        };
        write!(f, "{}-{kind}{}", self.task, self.number)
    }
}

impl TryFrom<String> for GuideItem {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<GuideItem> for String {
    fn from(value: GuideItem) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_has_189_items_over_14_tasks_in_four_domains() {
        assert_eq!(TaskStatement::all().count(), 14);
        assert_eq!(TaskStatement::all().flat_map(|t| t.items()).count(), 189);
        for task in TaskStatement::all() {
            let digit = task.code().chars().next().unwrap();
            let domain = Domain::ALL[(digit as usize) - ('1' as usize)];
            assert_eq!(task.domain(), domain, "{task}");
        }
    }

    #[test]
    fn item_codes_parse_only_when_the_guide_lists_them() {
        assert_eq!(GuideItem::parse("3.2-K4").unwrap().to_string(), "3.2-K4");
        assert_eq!(GuideItem::parse("3.2-K4").unwrap().task().code(), "3.2");
        assert!(GuideItem::parse("3.2-K7").unwrap_err().contains("K1 to K6"));
        for bad in ["3.2", "3.2-X1", "3.2-K", "9.9-K1", "3.2-Kx", "3.2-K٣"] {
            assert!(GuideItem::parse(bad).is_err(), "{bad}");
        }
    }
}
