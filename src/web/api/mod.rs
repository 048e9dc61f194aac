//! The JSON APIs: the Flow Execution API (open, WSO2's shapes).

mod cors;
mod errors;
mod execute;
mod wire;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    execute::routes(cfg);
}
