//! `cqa schema`

use super::Failure;

/// Print the scorecard JSON Schema. Point a scorecard's `$schema` at a saved
/// copy (the bundled ones use `schemas/scorecard.schema.json`) and editors
/// complete and check it as you type.
#[derive(clap::Args, Debug)]
#[command(after_help = "Russian terms: none.")]
pub struct Args {}

pub fn run(_: Args) -> Result<(), Failure> {
    let schema = cqa::input::scorecard::schema::scorecard_schema();
    let text = serde_json::to_string_pretty(&schema).map_err(Failure::output)?;
    println!("{text}");
    Ok(())
}
