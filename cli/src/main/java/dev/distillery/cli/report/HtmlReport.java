package dev.distillery.cli.report;

import dev.distillery.autograd.io.Json;
import java.awt.image.BufferedImage;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A self-contained {@code report.html}: one file with the images embedded as base64
 * {@code data:} URIs and a small inline style sheet, so it can be mailed or attached as it is.
 * The page has the title and summary, the metrics table, overview figures, one section per method
 * (its scatter grid, loss curves, notes), then the run (command line, configuration, timings) and
 * the machine.
 *
 * <pre>{@code
 * String html = new HtmlReport("distillery demo: 25 Gaussians")
 *         .commandLine("distillery demo --steps 1,2,4")
 *         .metrics(table)
 *         .section("consistency", "Consistency distillation (Song et al. 2023).",
 *                 HtmlReport.Figure.of("samples", grid), HtmlReport.Figure.of("losses", curves))
 *         .timings(Map.of("total", 73.2))
 *         .machine(MachineInfo.current())
 *         .render();
 * }</pre>
 */
public final class HtmlReport {

    /**
     * An embedded image.
     *
     * @param caption text under the image (also its alt text)
     * @param png PNG bytes
     */
    public record Figure(String caption, byte[] png) {
        public Figure {
            Objects.requireNonNull(caption, "caption");
            Objects.requireNonNull(png, "png");
        }

        /** Encodes {@code image} as PNG. */
        public static Figure of(String caption, BufferedImage image) {
            return new Figure(caption, Png.encode(image));
        }
    }

    /**
     * A part of the page, usually one method.
     *
     * @param heading section heading
     * @param text a paragraph of plain text (escaped), may be empty
     * @param figures images in order
     */
    public record Section(String heading, String text, List<Figure> figures) {
        public Section {
            figures = List.copyOf(figures);
        }
    }

    private static final String CSS = """
            body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#222;max-width:1100px;margin:2em auto;padding:0 1em}
            h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.8em}
            .meta{color:#666;font-size:.9em}
            .scroll{overflow-x:auto}table{border-collapse:collapse;margin:.8em 0;font-size:.86em}
            td:first-child{white-space:nowrap}
            th,td{padding:.3em .8em;border-bottom:1px solid #e4e4e4}th{background:#f5f5f5;text-align:left}
            td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td.n{white-space:nowrap}
            tbody tr:hover{background:#fafafa}
            figure{display:inline-block;margin:.6em 1em .6em 0;vertical-align:top}
            figure img{max-width:100%;border:1px solid #eee}figcaption{color:#555;font-size:.88em;text-align:center}
            pre{background:#f6f8fa;padding:.6em .8em;overflow-x:auto;border-radius:4px}
            dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1.2em}dt{color:#666}dd{margin:0}
            """;

    private final String title;
    private String summary = "";
    private String commandLine;
    private final Map<String, String> config = new LinkedHashMap<>();
    private final Map<String, Double> timings = new LinkedHashMap<>();
    private MachineInfo machine;
    private MetricsTable metrics;
    private final List<Figure> overview = new ArrayList<>();
    private final List<Block> blocks = new ArrayList<>();

    /** A captioned table or figure shown between the metrics table and the overview figures. */
    private record Block(String heading, String text, MetricsTable table, Figure figure) {
    }
    private final List<Section> sections = new ArrayList<>();
    private ZonedDateTime created = ZonedDateTime.now();

    public HtmlReport(String title) {
        this.title = Objects.requireNonNull(title, "title");
    }

    /** Text under the title; blank lines separate paragraphs. */
    public HtmlReport summary(String text) {
        this.summary = Objects.requireNonNull(text);
        return this;
    }

    /** The command line that made the run. */
    public HtmlReport commandLine(String line) {
        this.commandLine = line;
        return this;
    }

    /** Configuration entries (values shown with {@code String.valueOf}), in the map's order. */
    public HtmlReport config(Map<String, ?> entries) {
        entries.forEach((k, v) -> config.put(k, String.valueOf(v)));
        return this;
    }

    /** Wall-clock seconds of the run's phases, in the map's order. */
    public HtmlReport timings(Map<String, Double> seconds) {
        timings.putAll(seconds);
        return this;
    }

    /** The machine the run ran on. */
    public HtmlReport machine(MachineInfo info) {
        this.machine = info;
        return this;
    }

    /** The results table. */
    public HtmlReport metrics(MetricsTable table) {
        this.metrics = table;
        return this;
    }

    /**
     * A headed block after the metrics table (before the overview figures): a paragraph, then a
     * table and/or a figure (either may be null).
     */
    public HtmlReport block(String heading, String text, MetricsTable table, Figure figure) {
        blocks.add(new Block(heading, text == null ? "" : text, table, figure));
        return this;
    }

    /** A figure shown after the metrics, before the sections. */
    public HtmlReport figure(Figure figure) {
        overview.add(figure);
        return this;
    }

    /** Adds a section. */
    public HtmlReport section(String heading, String text, Figure... figures) {
        sections.add(new Section(heading, text == null ? "" : text, List.of(figures)));
        return this;
    }

    /** The time printed in the header (now, unless set; tests fix it). */
    public HtmlReport created(ZonedDateTime time) {
        this.created = time;
        return this;
    }

    /** The page. */
    public String render() {
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        b.append("<h1>").append(esc(title)).append("</h1>\n");
        b.append("<p class=\"meta\">").append(esc(created.format(DateTimeFormatter.RFC_1123_DATE_TIME)));
        if (machine != null) {
            b.append(" &middot; ").append(machine.cores()).append(" cores &middot; ").append(esc(machine.backend()));
        }
        b.append("</p>\n");
        for (String paragraph : summary.split("\n\n")) {
            if (!paragraph.isBlank()) {
                b.append("<p>").append(esc(paragraph.strip())).append("</p>\n");
            }
        }
        if (metrics != null) {
            b.append("<h2 id=\"metrics\">Metrics</h2>\n");
            appendTable(b, metrics);
        }
        for (Block k : blocks) {
            b.append("<h2 id=\"").append(esc(anchor(k.heading()))).append("\">").append(esc(k.heading())).append("</h2>\n");
            if (!k.text().isEmpty()) {
                b.append("<p>").append(esc(k.text())).append("</p>\n");
            }
            if (k.figure() != null) {
                appendFigure(b, k.figure());
            }
            if (k.table() != null) {
                appendTable(b, k.table());
            }
        }
        for (Figure f : overview) {
            appendFigure(b, f);
        }
        for (Section s : sections) {
            b.append("<h2 id=\"").append(esc(anchor(s.heading()))).append("\">").append(esc(s.heading())).append("</h2>\n");
            if (!s.text().isEmpty()) {
                b.append("<p>").append(esc(s.text())).append("</p>\n");
            }
            for (Figure f : s.figures()) {
                appendFigure(b, f);
            }
        }
        if (commandLine != null || !config.isEmpty() || !timings.isEmpty()) {
            b.append("<h2 id=\"run\">Run</h2>\n");
            if (commandLine != null) {
                b.append("<pre>").append(esc(commandLine)).append("</pre>\n");
            }
            if (!config.isEmpty()) {
                b.append("<h3>Configuration</h3>\n");
                appendList(b, config);
            }
            if (!timings.isEmpty()) {
                b.append("<h3>Timings</h3>\n");
                Map<String, String> t = new LinkedHashMap<>();
                timings.forEach((k, v) -> t.put(k, MetricsTable.format(v) + " s"));
                appendList(b, t);
            }
        }
        if (machine != null) {
            b.append("<h2 id=\"machine\">Machine</h2>\n");
            appendList(b, machine.entries());
        }
        return b.append("</body>\n</html>\n").toString();
    }

    /**
     * The table, its text columns (verdicts) right after the steps; a metric {@code m} with a companion {@code m_sd} (the spread over seeds) is shown
     * as one cell "mean &plusmn; spread" and the companion column is left out.
     */
    static void appendTable(StringBuilder b, MetricsTable table) {
        List<String> metricNames = table.metricNames();
        List<String> shown = new ArrayList<>();
        for (String n : metricNames) {
            if (!(n.endsWith(SD) && metricNames.contains(n.substring(0, n.length() - SD.length())))) {
                shown.add(n);
            }
        }
        List<String> labels = table.labelNames();
        b.append("<div class=\"scroll\"><table>\n<thead><tr><th>").append(esc(MetricsTable.METHOD)).append("</th><th class=\"n\">")
                .append(esc(MetricsTable.STEPS)).append("</th>");
        // text columns (verdicts) first, where they are seen without scrolling
        for (String l : labels) {
            b.append("<th>").append(esc(l)).append("</th>");
        }
        for (String n : shown) {
            b.append("<th class=\"n\">").append(esc(n)).append(metricNames.contains(n + SD) ? " (&plusmn; sd)" : "").append("</th>");
        }
        b.append("<th class=\"n\">").append(MetricsTable.TRAIN_SECONDS).append("</th><th class=\"n\">")
                .append(MetricsTable.SAMPLE_SECONDS).append("</th>");
        b.append("</tr></thead>\n<tbody>\n");
        for (MetricsTable.Row row : table.rows()) {
            b.append("<tr><td>").append(esc(row.method())).append("</td><td class=\"n\">").append(row.steps()).append("</td>");
            for (String l : labels) {
                b.append("<td style=\"white-space:nowrap\">").append(esc(row.label(l))).append("</td>");
            }
            for (String n : shown) {
                double raw = row.metric(n);
                String text = MetricsTable.format(raw);
                if (metricNames.contains(n + SD) && Double.isFinite(row.metric(n + SD))) {
                    text += " \u00b1 " + MetricsTable.format(row.metric(n + SD));
                }
                appendNumber(b, raw, text);
            }
            appendNumber(b, row.trainSeconds(), MetricsTable.format(row.trainSeconds()));
            appendNumber(b, row.sampleSeconds(), MetricsTable.format(row.sampleSeconds()));
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table></div>\n");
    }

    /** Suffix of a spread column. */
    private static final String SD = "_sd";

    private static void appendNumber(StringBuilder b, double raw, String text) {
        b.append("<td class=\"n\"");
        if (Double.isFinite(raw)) {
            b.append(" title=\"").append(Json.exact(raw)).append('"'); // full precision on hover
        }
        b.append('>').append(esc(text)).append("</td>");
    }

    private static void appendFigure(StringBuilder b, Figure f) {
        b.append("<figure><img src=\"").append(Png.dataUri(f.png())).append("\" alt=\"").append(esc(f.caption()))
                .append("\"><figcaption>").append(esc(f.caption())).append("</figcaption></figure>\n");
    }

    private static void appendList(StringBuilder b, Map<String, String> entries) {
        b.append("<dl>\n");
        entries.forEach((k, v) -> b.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>\n"));
        b.append("</dl>\n");
    }

    private static String anchor(String heading) {
        return heading.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    /** HTML text and attribute escaping. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
