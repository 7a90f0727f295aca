//! The README's examples are real commands with real output.

#[test]
fn readme_examples_are_true() {
    trycmd::TestCases::new()
        .register_bin("handoff", trycmd::cargo::cargo_bin!("handoff"))
        .env("NO_COLOR", "1")
        .case("README.md");
}
