//! Provider actions (Terraform 1.14+), one module per action type.

pub mod delivery_check;
