export type { ClassifyInput, Classifier, LoadClassifierOptions } from './types';
export { loadClassifier } from './classifier';
export { correctionsToTrainingLines, correctionsToJsonl, type StoredCorrection, type TrainingLine } from './corrections';
export { extractEntities, DEFAULT_TIME_ZONES, type EntityContext } from './entities/index';
export { detectLanguage } from './language';
