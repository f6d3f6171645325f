package io.sparkprop.cli;

import io.sparkprop.data.InputException;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line behind submit.sh, and the class spark-submit runs: {@code train},
 * {@code evaluate}, {@code predict}, {@code export} and {@code benchmark}. Bad input ends with one line that
 * names the culprit and exit status 1; a malformed command line with usage and status 2.
 */
@Command(name = "sparkprop", mixinStandardHelpOptions = true, version = "sparkprop 0.1.0",
        description = "Data-parallel training of feed-forward networks on Apache Spark.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, ExportCommand.class,
            BenchmarkCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code = run(System.out, System.err, args);
        // Stop Spark before exit, so that its shutdown hooks are not registered while the JVM exits.
        org.apache.spark.sql.SparkSession.getDefaultSession().foreach(s -> {
            s.stop();
            return null;
        });
        System.exit(code);
    }

    /** Runs a command line and returns its exit status; the entry point tests share with submit.sh. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        System.setProperty("java.awt.headless", "true");
        CommandLine cl = new CommandLine(new Main());
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        cl.setOut(o);
        cl.setErr(e);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            IllegalArgumentException input = InputException.find(ex);
            if (input != null) {
                e.println("sparkprop: error: " + input.getMessage());
            } else {
                e.println("sparkprop: error: " + ex);
                ex.printStackTrace(e);
                String sparkLog = System.getProperty("sparkprop.log"); // set by submit.sh
                if (sparkLog != null) {
                    e.println("sparkprop: Spark's warnings and errors: " + sparkLog);
                }
            }
            e.flush();
            return 1;
        });
        int code = cl.execute(args);
        o.flush();
        e.flush();
        return code;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
