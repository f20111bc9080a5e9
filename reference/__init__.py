"""reference: the population a project is compared with (CBS KWB from the API or a file,
custom tables), as eligible persons per group."""
