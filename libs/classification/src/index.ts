export type { ClassifyInput, Classifier, LoadClassifierOptions } from './types';
export { loadClassifier } from './classifier';
