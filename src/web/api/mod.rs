//! The JSON APIs: the Flow Execution API (open, WSO2's shapes) and the flow management API
//! (admin tokens). Each module mounts its own routes and answers every refusal in JSON.

mod cors;
mod errors;
mod execute;
pub mod manage;
mod wire;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    execute::routes(cfg);
    manage::routes(cfg);
}
