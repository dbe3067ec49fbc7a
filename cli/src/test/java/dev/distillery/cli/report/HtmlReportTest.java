package dev.distillery.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.diffusion.data.MixtureSpec;
import dev.distillery.diffusion.data.Toy2d;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    @TempDir
    Path root;

    @Test
    void reportIsSelfContainedWithTableAndEmbeddedImages() throws IOException {
        BufferedImage img = ImageGrid.digits(dev.distillery.diffusion.data.Digits.load().images());
        MachineInfo machine = MachineInfo.current("simd (2 threads)");
        String html = new HtmlReport("demo <25 Gaussians>")
                .summary("Teacher & students.")
                .commandLine("distillery demo --steps 1,2,4")
                .config(Map.of("seed", 7))
                .timings(Map.of("total", 12.5))
                .machine(machine)
                .metrics(MetricsTableTest.sample())
                .section("ddim", "The teacher's sampler.", HtmlReport.Figure.of("digits", img))
                .created(ZonedDateTime.parse("2025-03-04T05:06:07Z"))
                .render();
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<title>demo &lt;25 Gaussians&gt;</title>"), "escaped title");
        assertTrue(html.contains("<th class=\"n\">mmd</th>"), "metrics header");
        assertTrue(html.contains("<td>consistency &quot;CD&quot;, \\ok</td>"), "escaped method");
        assertTrue(html.contains("title=\"0.30000000000000004\""), "full precision on hover");
        assertTrue(html.contains("<pre>distillery demo --steps 1,2,4</pre>"));
        assertTrue(html.contains("Teacher &amp; students."));
        assertTrue(html.contains("<dd>" + machine.cores() + "</dd>") && html.contains("simd (2 threads)"));
        assertTrue(html.contains("<dt>total</dt><dd>12.5 s</dd>"));
        assertFalse(html.matches("(?s).*(src|href)=\"(https?:|//|[a-z]+\\.(png|css|js)).*"), "nothing outside the file");
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        assertTrue(m.find(), "an embedded image");
        BufferedImage back = PlotsTest.readPng(Base64.getDecoder().decode(m.group(1)));
        assertEquals(img.getWidth(), back.getWidth());
    }

    /**
     * The whole path a command will take: samples and losses of a few methods, the table, the
     * plots, the report, all in one run folder that appears at the commit.
     */
    @Test
    void aDemoRunWritesTheTablePlotsAndReport() throws IOException {
        MixtureSpec spec = Toy2d.gaussians25Spec();
        ScatterPlot.Frame frame = ScatterPlot.frameFor(spec);
        BufferedImage density = ScatterPlot.density(spec, frame, 300);
        String[] methods = {"ddim", "progressive", "consistency"};
        int[] steps = {1, 2, 4};
        MetricsTable table = new MetricsTable();
        HtmlReport report = new HtmlReport("distillery demo: 25 Gaussians").machine(MachineInfo.current())
                .commandLine("distillery demo").created(ZonedDateTime.parse("2025-03-04T05:06:07Z"));
        BufferedImage[][] all = new BufferedImage[methods.length][steps.length];
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int m = 0; m < methods.length; m++) {
            LossHistory losses = new LossHistory();
            for (int s = 0; s < 300; s++) {
                losses.record(s, Map.of("loss", (m + 1) * Math.exp(-s / 80.0) + 0.01));
            }
            for (int k = 0; k < steps.length; k++) {
                double[][] x = PlotsTest.blurredSamples(1000, 0.6 / (steps[k] * (m + 1)), 31 * m + k);
                all[m][k] = ScatterPlot.render(ScatterPlot.title(methods[m], steps[k]), x, density, frame, 320);
                table.add(methods[m], steps[k], Map.of("mmd", 0.1 / (steps[k] * (m + 1))), 10.0 * m, 0.01 * steps[k]);
            }
            BufferedImage scatter = ImageGrid.compose(new BufferedImage[][] {all[m]}, 6);
            BufferedImage curve = LossPlot.render(methods[m], losses.series(), LossPlot.Options.DEFAULT);
            files.put("plots/" + methods[m] + "-samples.png", Png.encode(scatter));
            files.put("plots/" + methods[m] + "-loss.png", Png.encode(curve));
            report.section(methods[m], "", new HtmlReport.Figure("samples", files.get("plots/" + methods[m] + "-samples.png")),
                    new HtmlReport.Figure("losses", files.get("plots/" + methods[m] + "-loss.png")));
        }
        BufferedImage overview = ImageGrid.compose(all, 6);
        report.metrics(table).figure(HtmlReport.Figure.of("all methods", overview));

        Path target;
        try (RunDirectory run = RunDirectory.create(root, "demo", false)) {
            run.writeString("metrics.json", table.toJson());
            run.writeString("metrics.csv", table.toCsv());
            run.writeString("metrics.md", table.toMarkdown());
            run.writePng("samples.png", overview);
            files.forEach(run::write);
            run.writeString("report.html", report.render());
            target = run.commit();
        }
        List<String> names = new ArrayList<>();
        try (var walk = Files.walk(target)) {
            walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(RunFolderLock.NAME))
                    .forEach(p -> names.add(target.relativize(p).toString()));
        }
        assertEquals(5 + 2 * methods.length, names.size(), names.toString());
        BufferedImage samples = PlotsTest.readPng(Files.readAllBytes(target.resolve("samples.png")));
        assertEquals(3 * 320 + 4 * 6, samples.getWidth());
        assertEquals(3 * all[0][0].getHeight() + 4 * 6, samples.getHeight());
        String html = Files.readString(target.resolve("report.html"));
        assertEquals(1 + 2 * methods.length, html.split("data:image/png;base64,").length - 1);
        assertEquals(methods.length * steps.length, ((List<?>) TinyJson.parse(Files.readString(target.resolve("metrics.json")))).size());
        String keep = System.getProperty("distillery.test.keepReport");
        if (keep != null) { // to look at the pictures: -Ddistillery.test.keepReport=/some/dir
            RunDirectory.deleteTree(Path.of(keep));
            Files.createDirectories(Path.of(keep).getParent());
            Files.move(target, Path.of(keep));
        }
    }
}
