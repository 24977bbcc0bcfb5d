from sklearn import preprocessing
