package dashboard

// The charts are SVG drawn by the templates from these shapes: no script,
// no style attribute, nothing fetched. Every bar carries its figure as text
// too, so that the chart reads without colour and copies as numbers.

// bar is one bar of a chart, in the chart's coordinates.
type bar struct {
	Label, Value string
	// Full names the bar in its tooltip (the label may be left out).
	Full       string
	X, Y, W, H int
	// TX, TY place the label; VX, VY the value.
	TX, TY, VX, VY int
}

// chart is an SVG chart: a viewBox and its bars.
type chart struct {
	W, H  int
	Title string
	Bars  []bar
}

// hbars draws horizontal bars, one row each, scaled so that peak fills
// the width; peak 0 means the largest value.
func hbars(title string, labels []string, values []int, peak int, format func(int) string) chart {
	const rowH, labelW, barMax, pad = 22, 170, 240, 4
	c := chart{W: labelW + barMax + 70, H: len(labels)*rowH + pad, Title: title}
	for _, v := range values {
		peak = max(peak, v, 1)
	}
	for i, l := range labels {
		w := values[i] * barMax / peak
		if values[i] > 0 {
			w = max(w, 1)
		}
		y := i*rowH + pad
		c.Bars = append(c.Bars, bar{Label: l, Full: l, Value: format(values[i]), X: labelW, Y: y, W: w, H: rowH - 6,
			TX: labelW - 6, TY: y + rowH - 10, VX: labelW + w + 4, VY: y + rowH - 10})
	}
	return c
}

// columns draws vertical columns (a time series), labelled under every
// fifth one.
func columns(title string, labels []string, values []int) chart {
	const colW, left, top, plotH, bottom = 16, 16, 18, 120, 30
	c := chart{W: len(labels)*colW + 2*left, H: top + plotH + bottom, Title: title}
	peak := 1
	for _, v := range values {
		peak = max(peak, v)
	}
	for i, l := range labels {
		h := values[i] * plotH / peak
		if values[i] > 0 {
			h = max(h, 1)
		}
		x := left + i*colW
		b := bar{Full: l, Value: num(values[i]), X: x, Y: top + plotH - h, W: colW - 3, H: h,
			TX: x + colW/2, TY: top + plotH + 14, VX: x + colW/2, VY: top + plotH - h - 3}
		if i%5 == 0 || i == len(labels)-1 {
			b.Label = l
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}
