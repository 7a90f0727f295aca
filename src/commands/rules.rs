use crate::Exit;
use crate::error::Error;
use crate::rules::RULES;

pub fn run() -> Result<Exit, Error> {
    let width = RULES
        .iter()
        .map(|r| r.code.as_str().len())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for rule in RULES {
        text.push_str(&format!(
            "{:width$}  {}\n{:width$}  default: {}\n",
            rule.code.as_str(),
            rule.summary,
            "",
            rule.default
        ));
    }
    super::print_out(&text)?;
    Ok(Exit::Ok)
}
