"""thidua's domain commons: what more than one service needs of the domain and is no event: the council member and
their conflicts of interest (`council`), official documents laid out as Nghị định 30/2020 sets them (`documents`)."""
