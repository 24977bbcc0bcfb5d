from sklearn.svm import SVC
