/**
 * What a run leaves behind: the run folder, the results table, the plots and the HTML report that
 * {@code distillery demo}, {@code train}, {@code distill}, {@code sample} and {@code eval} write.
 *
 * <ul>
 *   <li>{@link dev.distillery.cli.report.RunDirectory}: {@code runs/<name>/}, staged in a hidden
 *       sibling and renamed into place at the commit, so a failed or interrupted run leaves no
 *       report; {@link dev.distillery.cli.report.AtomicFiles} writes single files the same way.</li>
 *   <li>{@link dev.distillery.cli.report.MetricsTable}: rows of (method, steps, metrics, train and
 *       sampling seconds) as JSON, CSV, aligned text and Markdown.</li>
 *   <li>{@link dev.distillery.cli.report.SeedAggregate}: the tables of several seeds as one, the
 *       mean and a {@code <metric>_sd} spread column per metric.</li>
 *   <li>{@link dev.distillery.cli.report.ScatterPlot}: 2-D samples over the true density;
 *       {@link dev.distillery.cli.report.LossPlot} and {@link dev.distillery.cli.report.LossHistory}:
 *       training curves; {@link dev.distillery.cli.report.ImageGrid}: digit grids and grids of
 *       panels; {@link dev.distillery.cli.report.Png}: encoding and data URIs.</li>
 *   <li>{@link dev.distillery.cli.report.HtmlReport}: one self-contained {@code report.html};
 *       {@link dev.distillery.cli.report.MachineInfo}: cores, JVM, OS, heap, backend.</li>
 * </ul>
 *
 * <pre>{@code
 * MixtureSpec spec = Toy2d.gaussians25Spec();
 * ScatterPlot.Frame frame = ScatterPlot.frameFor(spec);               // [-6, 6]^2
 * BufferedImage density = ScatterPlot.density(spec, frame, 320);      // once for all panels
 * BufferedImage[][] panels = new BufferedImage[methods.size()][steps.length];
 * MetricsTable table = new MetricsTable();
 * for (...) {                                                         // method m, step count k
 *     panels[m][k] = ScatterPlot.render(ScatterPlot.title(method, steps[k]), samples, density, frame, 320);
 *     table.add(method, steps[k], Map.of("mmd", mmd, "modes", modes), trainSeconds, sampleSeconds);
 * }
 * BufferedImage grid = ImageGrid.compose(panels, 6);
 * try (RunDirectory run = RunDirectory.create(Path.of("runs"), name, force)) {
 *     run.writeString("metrics.json", table.toJson());
 *     run.writeString("metrics.csv", table.toCsv());
 *     run.writePng("samples.png", grid);
 *     run.writeString("report.html", new HtmlReport("demo").metrics(table)
 *             .figure(HtmlReport.Figure.of("samples", grid)).machine(MachineInfo.current()).render());
 *     run.commit();
 * }
 * System.err.print(table.toText());
 * }</pre>
 *
 * <p>Charts use JFreeChart and need {@code java.awt.headless=true} (the launcher and the tests set
 * it). Below the rest of the CLI: it knows no dataset, teacher or run, so that every other
 * package, and the sweep module, can write reports (docs/ARCHITECTURE.md).
 */
package dev.distillery.cli.report;
