package io.github.dl4jspectral.examples.ui;

import io.github.dl4jspectral.conf.SpectralLayerConfig;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.api.Histogram;
import org.deeplearning4j.ui.model.stats.api.StatsInitializationReport;
import org.deeplearning4j.ui.model.stats.api.StatsReport;
import org.deeplearning4j.ui.model.stats.api.StatsType;

import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the spectral page shows, read from DL4J's statistics storage: for every training session of a
 * {@code MultiLayerNetwork} (named after its model by {@link TrainingUi}) its start time, run time and score,
 * and for each spectral layer each parameter group (plus the effective weights {@code W} that
 * {@link EffectiveWeightsRouter} adds) with whether it is trained or frozen (from the session's configuration),
 * its latest histogram, and per report its mean, standard deviation, min, max and update:parameter ratio
 * (mean magnitude of the update / mean magnitude of the parameter, as DL4J's overview computes it).
 */
final class SpectralSessions {

    /** At most this many points per series: longer runs are subsampled evenly (the latest report is kept). */
    static final int MAX_POINTS = 400;

    /** One training session. */
    record Session(String name, String modelType, long startTime, long lastUpdate, long runtimeMs, int iterations,
                   Double score, List<SpectralLayer> layers) {
    }

    /** One spectral layer: its index in the network and its groups; {@code iterations} label every series. */
    record SpectralLayer(int index, String type, long nIn, long nOut, String settings, List<Integer> iterations,
                         List<Group> groups) {
    }

    /**
     * One parameter group ({@code phi}, {@code lambdaIn}, {@code lambdaOut}, {@code b}, ...) or the effective weights
     * {@code W} ({@code derived}: not a parameter; trained when any group it is computed from is). A frozen group has
     * no update ratio (null).
     */
    record Group(String key, boolean trained, boolean derived, Bars histogram, List<Double> mean, List<Double> stdev,
                 List<Double> min, List<Double> max, List<Double> updateRatio) {
    }

    /**
     * When a session started (its StatsListener's initialization report) and how long it has run (to its latest
     * report), as DL4J's Overview shows times: {@code yyyy-MM-dd HH:mm:ss} in this JVM's time zone, and e.g.
     * {@code 1 h 2 min 5 s}.
     */
    record Times(String startTime, String totalRuntime) {
    }

    /** A histogram: {@code counts.length} equal bins from {@code min} to {@code max}. */
    record Bars(double min, double max, int[] counts) {
    }

    private SpectralSessions() {
    }

    /** Every StatsListener session in {@code storages}, oldest first. */
    static List<Session> read(List<StatsStorage> storages) {
        List<Session> out = new ArrayList<>();
        for (StatsStorage storage : storages) {
            for (String id : storage.listSessionIDs()) {
                List<String> workers = storage.listWorkerIDsForSessionAndType(id, StatsListener.TYPE_ID);
                if (workers != null && !workers.isEmpty()) {
                    out.add(session(storage, id, workers.get(0)));
                }
            }
        }
        out.sort(Comparator.comparingLong(Session::startTime));
        return out;
    }

    /** The start time and run time of session {@code id}, if one of {@code storages} has its StatsListener reports. */
    static Optional<Times> times(List<StatsStorage> storages, String id) {
        for (StatsStorage storage : storages) {
            List<String> workers = storage.listWorkerIDsForSessionAndType(id, StatsListener.TYPE_ID);
            if (workers != null && !workers.isEmpty()) {
                Persistable info = storage.getStaticInfo(id, StatsListener.TYPE_ID, workers.get(0));
                Persistable last = storage.getLatestUpdate(id, StatsListener.TYPE_ID, workers.get(0));
                if (info != null) {
                    long start = info.getTimeStamp();
                    long runtimeMs = last != null ? last.getTimeStamp() - start : 0;
                    return Optional.of(new Times(
                            new SimpleDateFormat("yyyy-MM-dd HH:mm:ss").format(new Date(start)), duration(runtimeMs)));
                }
            }
        }
        return Optional.empty();
    }

    /** {@code ms} rounded to seconds: "5 s", "1 min 5 s", "1 h 0 min 5 s" (as the spectral page writes run times). */
    static String duration(long ms) {
        long s = Math.round(ms / 1000.0);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        return (h > 0 ? h + " h " : "") + (h > 0 || m > 0 ? m + " min " : "") + s % 60 + " s";
    }

    private static Session session(StatsStorage storage, String id, String worker) {
        Persistable info = storage.getStaticInfo(id, StatsListener.TYPE_ID, worker);
        List<StatsReport> reports = subsample(storage.getAllUpdatesAfter(id, StatsListener.TYPE_ID, worker, 0).stream()
                .filter(StatsReport.class::isInstance).map(StatsReport.class::cast).toList());
        long start = info != null ? info.getTimeStamp() : 0;
        StatsReport last = reports.isEmpty() ? null : reports.get(reports.size() - 1);
        long lastUpdate = last != null ? last.getTimeStamp() : start;
        String modelType = "";
        List<SpectralLayer> layers = List.of();
        if (info instanceof StatsInitializationReport init) {
            String className = init.getModelClassName();
            modelType = className.substring(className.lastIndexOf('.') + 1);
            if (className.endsWith("MultiLayerNetwork")) {
                layers = spectralLayers(MultiLayerConfiguration.fromJson(init.getModelConfigJson()), reports);
            }
        }
        return new Session(id, modelType, start, lastUpdate, lastUpdate - start,
                last != null ? last.getIterationCount() : 0, last != null ? finite(last.getScore()) : null, layers);
    }

    private static List<StatsReport> subsample(List<StatsReport> reports) {
        if (reports.size() <= MAX_POINTS) {
            return reports;
        }
        int step = (reports.size() + MAX_POINTS - 1) / MAX_POINTS;
        List<StatsReport> out = new ArrayList<>();
        for (int i = 0; i < reports.size(); i += step) {
            out.add(reports.get(i));
        }
        if ((reports.size() - 1) % step != 0) {
            out.add(reports.get(reports.size() - 1));
        }
        return out;
    }

    private static List<SpectralLayer> spectralLayers(MultiLayerConfiguration configuration, List<StatsReport> reports) {
        List<Integer> iterations = reports.stream().map(StatsReport::getIterationCount).toList();
        List<SpectralLayer> out = new ArrayList<>();
        for (int i = 0; i < configuration.getConfs().size(); i++) {
            if (configuration.getConf(i).getLayer() instanceof SpectralLayerConfig conf) {
                String prefix = i + "_";
                List<Group> groups = new ArrayList<>();
                StatsReport last = reports.isEmpty() ? null : reports.get(reports.size() - 1);
                Map<String, Histogram> keys = last != null ? last.getHistograms(StatsType.Parameters) : null;
                for (String key : keys != null ? keys.keySet() : List.<String>of()) {
                    if (key.startsWith(prefix)) {
                        String group = key.substring(prefix.length());
                        boolean derived = group.equals(EffectiveWeightsRouter.W);
                        boolean trained = derived ? !conf.getSpectral().trainableGroups().isEmpty()
                                : conf.getSpectral().trains(group);
                        groups.add(group(key, group, trained, derived, reports));
                    }
                }
                out.add(new SpectralLayer(i, conf.getClass().getSimpleName(), conf.getNIn(), conf.getNOut(),
                        conf.getSpectral().describe(), iterations, groups));
            }
        }
        return out;
    }

    private static Group group(String key, String group, boolean trained, boolean derived, List<StatsReport> reports) {
        List<Double> mean = new ArrayList<>();
        List<Double> stdev = new ArrayList<>();
        List<Double> min = new ArrayList<>();
        List<Double> max = new ArrayList<>();
        List<Double> ratio = trained ? new ArrayList<>() : null;
        Bars latest = null;
        for (StatsReport r : reports) {
            mean.add(value(r.getMean(StatsType.Parameters), key));
            stdev.add(value(r.getStdev(StatsType.Parameters), key));
            Histogram h = r.getHistograms(StatsType.Parameters) != null ? r.getHistograms(StatsType.Parameters).get(key) : null;
            min.add(h != null ? finite(h.getMin()) : null);
            max.add(h != null ? finite(h.getMax()) : null);
            if (h != null) {
                latest = new Bars(h.getMin(), h.getMax(), h.getBinCounts());
            }
            if (ratio != null) {
                Double update = value(r.getMeanMagnitudes(StatsType.Updates), key);
                Double parameter = value(r.getMeanMagnitudes(StatsType.Parameters), key);
                ratio.add(update != null && parameter != null ? finite(update / parameter) : null);
            }
        }
        return new Group(group, trained, derived, latest, mean, stdev, min, max, ratio);
    }

    private static Double value(Map<String, Double> map, String key) {
        return map != null && map.get(key) != null ? finite(map.get(key)) : null;
    }

    /** JSON has no NaN or infinity: those become null (a gap in the chart). */
    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }
}
