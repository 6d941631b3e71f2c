"""Qt-free CSV export: safe cells, atomic files, and the rows of each kind of data."""
