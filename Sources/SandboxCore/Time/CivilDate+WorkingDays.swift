extension CivilDate {
    /// Saturday or Sunday. (1970-01-01, day 0, was a Thursday.)
    public var isWeekend: Bool {
        let weekday = ((dayNumber % 7) + 7 + 3) % 7  // 0 Monday … 6 Sunday
        return weekday >= 5
    }

    /// The day `n` working days after this one (Monday to Friday). Public holidays and the
    /// adjusted working weekends (调休) of the State Council's yearly calendar are not known here
    /// [ours]: a limit computed this way can fall a few days early around 春节 and 国庆, never late
    /// by more than those days — staff see the due day and the legal text, not only the number.
    public func adding(workingDays n: Int) -> CivilDate {
        var day = self
        var left = n
        while left > 0 {
            day = day.adding(days: 1)
            if !day.isWeekend { left -= 1 }
        }
        return day
    }
}
