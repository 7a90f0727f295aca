use crate::Exit;
use crate::rules::RULES;

pub fn run() -> anyhow::Result<Exit> {
    let width = RULES
        .iter()
        .map(|r| r.code.as_str().len())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for rule in RULES {
        text.push_str(&format!(
            "{:width$}  {}\n{:width$}  default: {}\n",
            rule.code, rule.summary, "", rule.default
        ));
    }
    super::print_out(&text)?;
    Ok(Exit::Ok)
}
