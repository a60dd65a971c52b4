package main

// The shared store: --store or VAP_STORE set to postgres://… selects it.
import _ "github.com/vapsql/vap/store/postgres"
